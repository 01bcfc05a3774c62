// Talking to the sandbox server (see ../API.md), and the small notice line for failures.
const $ = (id) => document.getElementById(id);

let noticeTimer;
export function notify(msg) {
  const n = $('notice');
  n.textContent = msg;
  n.classList.add('show');
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => n.classList.remove('show'), 6000);
}

export async function get(path) {
  const r = await fetch(path, { headers: { accept: 'application/json' } });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

export async function post(path, body) {
  let j;
  try {
    const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    j = await r.json().catch(() => ({ ok: r.ok }));
    if (!r.ok && j.ok !== false) j = { ok: false, error: j.error ?? `HTTP ${r.status}` };
  } catch (e) {
    j = { ok: false, error: String(e.message ?? e) };
  }
  if (j.ok === false) notify(`Sorry, that did not work: ${j.error ?? 'unknown error'}`);
  return j;
}

