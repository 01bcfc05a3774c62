// The sandbox page: state, fetching, live updates. See ../API.md for the server contract.
import { h } from './dom.js';
import { renderBlocks } from './blocks.js';
import { modalController } from './modal.js';
import { sidebar, messageList, composer } from './views.js';
import { get, post, notify } from './api.js';

const $ = (id) => document.getElementById(id);
const S = { ws: null, as: null, sel: { kind: 'channel', id: 'C01GENERAL' }, conv: null, home: null, expanded: new Set(), highlight: null, advancing: false };
const keys = { side: '', conv: '', home: '', composer: '' };

const me = () => S.ws.people.find((p) => p.id === S.as);
const tz = () => me()?.tz ?? S.ws.timeZone;
const channelId = () => (S.sel.kind === 'channel' ? S.sel.id : null);

function baseCtx() {
  return { people: S.ws.people, channels: S.ws.channels, botUserId: S.ws.botUserId, tz: tz(), now: S.ws.now, as: S.as, currentChannel: channelId(), notify };
}

/** Re-render while keeping keyboard focus on the "same" control (matched by data-fk). */
function keepFocus(fn) {
  const a = document.activeElement;
  const fk = a?.dataset?.fk;
  fn();
  if (fk && !a.isConnected) document.querySelector(`[data-fk="${CSS.escape(fk)}"]`)?.focus();
}

function writeUrl() {
  try { sessionStorage.setItem('coachline-sandbox-as', S.as); } catch { /* private mode */ }
  const q = new URLSearchParams({ as: S.as, c: S.sel.kind === 'home' ? 'home' : S.sel.id });
  const url = `/sandbox?${q}`;
  if (location.pathname + location.search !== url) history.replaceState(null, '', url);
}

// ---- rendering ----

function renderSidebar() {
  const key = JSON.stringify([S.ws, S.as, S.sel, S.advancing]);
  if (key === keys.side) return;
  keys.side = key;
  keepFocus(() => $('sidebar').replaceChildren(...sidebar(S, { setAs, select, advance }).filter(Boolean)));
}

function paneTitle() {
  if (S.sel.kind === 'home') return 'coachline — Home';
  if (S.sel.id.startsWith('D')) return 'coachline (direct messages)';
  const c = S.ws.channels.find((x) => x.id === S.sel.id);
  return c ? `${c.isPrivate ? '' : '#'}${c.name}${c.isPrivate ? ' (private)' : ''}` : S.conv?.channel?.name ? `#${S.conv.channel.name}` : S.sel.id;
}

// Stick to the bottom while the person has not scrolled up (new messages, resizes).
let stick = true;
let quietUntil = 0; // scroll events caused by our own re-rendering do not count as the person scrolling
const nearBottom = (box) => box.scrollHeight - box.scrollTop - box.clientHeight < 60;

function renderConversation(force = false) {
  const box = $('conversation');
  const atBottom = stick || nearBottom(box);
  const key = JSON.stringify([S.conv, [...S.expanded], S.highlight, S.as, S.ws.people, S.ws.channels.length]);
  if (!force && key === keys.conv) return;
  const items = S.conv?.items ?? [];
  const grew = keys.conv && items.length > (keys.convCount ?? 0) && items[items.length - 1]?.user === S.as; // my own new message
  keys.conv = key;
  keys.convCount = S.conv?.items?.length ?? 0;
  const channel = S.sel.id;
  const opts = {
    S, tz: tz(), expanded: S.expanded,
    toggle: (ts) => { S.expanded.has(ts) ? S.expanded.delete(ts) : S.expanded.add(ts); renderConversation(); },
    shortcut: (item, callbackId) => post('/sandbox/api/shortcut', { as: S.as, channel, ts: item.ts, callbackId }).then(soon),
    ctx: (item) => ({
      ...baseCtx(), fk: `msg:${item.ts}`,
      onAction: (action) => post('/sandbox/api/action', { as: S.as, source: { type: 'message', channel, ts: item.ts, ephemeral: item.kind === 'ephemeral' }, action }).then(soon),
    }),
  };
  const nodes = [];
  if (S.conv && S.conv.channel?.isMember === false) {
    nodes.push(h('div', { class: 'join-banner' }, h('p', {}, `You are not a member of #${S.conv.channel.name}.`),
      h('button', { type: 'button', class: 'btn btn-primary', 'data-fk': 'join', onclick: join }, `Join #${S.conv.channel.name}`)));
  }
  nodes.push(messageList(S.conv?.items ?? [], opts));
  keepFocus(() => box.replaceChildren(...nodes));
  if (S.highlight) {
    const el = box.querySelector(`[data-ts="${CSS.escape(S.highlight)}"]`);
    if (el && !keys.scrolledTo) { el.scrollIntoView({ block: 'center' }); keys.scrolledTo = true; return; }
  }
  quietUntil = performance.now() + 250;
  if (!S.highlight && (force || atBottom || grew)) { box.scrollTop = box.scrollHeight; stick = true; }
}

function renderHome() {
  const key = JSON.stringify([S.home, S.as, S.ws.people]);
  if (key === keys.home) return;
  keys.home = key;
  const box = $('conversation');
  const ctx = { ...baseCtx(), fk: 'home', onAction: (action) => post('/sandbox/api/action', { as: S.as, source: { type: 'home' }, action }).then(soon) };
  const node = S.home?.view ? h('div', { class: 'home' }, renderBlocks(S.home.view.blocks, ctx))
    : h('p', { class: 'muted empty' }, 'Opening the Home tab… (the app publishes it when you open it)');
  keepFocus(() => box.replaceChildren(node));
}

function renderComposer() {
  const area = $('composer-area');
  quietUntil = performance.now() + 250;
  const member = S.sel.kind === 'channel' && S.conv?.channel?.isMember !== false;
  const key = JSON.stringify([S.sel, S.as, member]);
  if (key === keys.composer) return;
  keys.composer = key;
  if (!member) { area.replaceChildren(); return; }
  const label = S.sel.id.startsWith('D') ? 'Message coachline' : `Message ${paneTitle()}`;
  area.replaceChildren(composer(label, S.ws.commands, { send }));
}

let deferred;
function render() {
  // Do not pull an open ⋮ / overflow menu away from under the person: re-render when it has closed.
  if (document.querySelector('#conversation .menu')) {
    clearTimeout(deferred);
    deferred = setTimeout(render, 300);
    return;
  }
  renderSidebar();
  $('pane-title').textContent = paneTitle();
  document.title = `${paneTitle()} · coachline sandbox`;
  if (S.sel.kind === 'home') renderHome();
  else renderConversation();
  renderComposer();
}

// ---- data ----

let loading = null;
async function refresh() {
  if (loading) { loading.again = true; return loading.p; }
  loading = { again: false };
  loading.p = (async () => {
    try {
      do {
        loading.again = false;
        const as = S.as;
        const sel = S.sel;
        const [ws, view, modals] = await Promise.all([
          get('/sandbox/api/workspace'),
          sel.kind === 'home' ? get(`/sandbox/api/home?as=${encodeURIComponent(as)}`)
            : get(`/sandbox/api/conversation?as=${encodeURIComponent(as)}&channel=${encodeURIComponent(sel.id)}`).catch((e) => ({ error: e })),
          get(`/sandbox/api/modals?as=${encodeURIComponent(as)}`),
        ]);
        if (as !== S.as || sel !== S.sel) { loading.again = true; continue; }
        S.ws = ws;
        if (sel.kind === 'home') S.home = view;
        else S.conv = view.error ? { channel: { id: sel.id, name: sel.id }, items: [] } : view;
        render();
        modal.render(modals.stack ?? []);
      } while (loading.again);
    } catch (e) {
      notify(`Could not reach the sandbox server (${e.message}).`);
    } finally {
      loading = null;
    }
  })();
  return loading.p;
}

let soonTimer;
function soon() {
  clearTimeout(soonTimer);
  soonTimer = setTimeout(refresh, 50);
}

const modal = modalController({ post, ctx: baseCtx, refresh, afterPost: soon, notify });

// ---- handlers ----

function select(sel) {
  S.sel = sel;
  S.conv = null;
  S.home = null;
  S.expanded = new Set();
  S.highlight = null;
  keys.conv = keys.home = '';
  keys.scrolledTo = false;
  writeUrl();
  $('conversation').replaceChildren();
  if (sel.kind === 'home') post('/sandbox/api/home/open', { as: S.as });
  stick = true;
  refresh();
}

function setAs(id) {
  S.as = id;
  keys.composer = '';
  select(S.sel.kind === 'channel' && S.sel.id.startsWith('D') ? { kind: 'channel', id: 'D' + id } : S.sel);
}

async function advance(step) {
  S.advancing = true;
  renderSidebar();
  const r = await post('/sandbox/api/time', { step });
  S.advancing = false;
  if (r.ok && r.now) S.ws = { ...S.ws, now: r.now };
  renderSidebar();
  soon();
}

async function send(text) {
  const channel = S.sel.id;
  const isCommand = text.startsWith('/');
  S.highlight = null;
  stick = true;
  const r = await post(isCommand ? '/sandbox/api/command' : '/sandbox/api/message', { as: S.as, channel, text });
  soon();
  return r.ok !== false;
}

async function join() {
  await post('/sandbox/api/join', { as: S.as, channel: S.sel.id });
  keys.composer = '';
  soon();
}

/** In-page permalinks: /sandbox/archives/C…/p1700000000123456[?thread_ts=…]. */
function fromPermalink(url) {
  const m = /\/sandbox\/archives\/([A-Z0-9]+)\/p(\d{10})(\d+)/.exec(url.pathname);
  if (!m) return null;
  return { channel: m[1], ts: `${m[2]}.${m[3]}`, thread: url.searchParams.get('thread_ts') };
}

function openPermalink(link) {
  const ch = link.channel.startsWith('D') ? 'D' + S.as : link.channel;
  select({ kind: 'channel', id: ch });
  S.highlight = link.thread ?? link.ts;
  if (link.thread) S.expanded.add(link.thread);
}

document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (a.dataset.channel) { e.preventDefault(); select({ kind: 'channel', id: a.dataset.channel }); return; }
  const url = new URL(a.href, location.href);
  const link = url.origin === location.origin ? fromPermalink(url) : null;
  if (link) { e.preventDefault(); openPermalink(link); }
});

function watchScroll() {
  const box = $('conversation');
  box.addEventListener('scroll', () => { if (performance.now() > quietUntil) stick = nearBottom(box); });
  new ResizeObserver(() => { if (stick && S.sel.kind === 'channel' && !S.highlight) box.scrollTop = box.scrollHeight; }).observe(box);
}

function connect() {
  const es = new EventSource('/sandbox/api/stream');
  es.onmessage = (e) => {
    try { if (JSON.parse(e.data).type === 'change') soon(); } catch { /* ignore */ }
  };
  es.onopen = () => soon();
}

async function start() {
  try {
    S.ws = await get('/sandbox/api/workspace');
  } catch (e) {
    $('sidebar').replaceChildren(h('p', { class: 'error' }, `Could not load the sandbox workspace: ${e.message}`));
    return;
  }
  const q = new URLSearchParams(location.search);
  const asQ = q.get('as');
  const remembered = sessionStorage.getItem('coachline-sandbox-as');
  const known = (id) => S.ws.people.some((p) => p.id === id);
  S.as = known(asQ) ? asQ : known(remembered) ? remembered : S.ws.people[0]?.id;
  watchScroll();
  const link = fromPermalink(new URL(location.href));
  const c = q.get('c');
  if (link) openPermalink(link);
  else if (c === 'home') select({ kind: 'home' });
  else select({ kind: 'channel', id: c && (c.startsWith('D') || S.ws.channels.some((x) => x.id === c)) ? c : S.ws.channels[0]?.id ?? 'D' + S.as });
  connect();
}

start();
