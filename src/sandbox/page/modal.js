// The modal stack: shows the top view as a dialog, submits Slack-shaped state, shows inline errors.
import { h, uid } from './dom.js';
import { plain } from './mrkdwn.js';
import { renderBlocks } from './blocks.js';
import { inputBlock, stateValues } from './inputs.js';

const FOCUSABLE = 'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * deps: { post(path, body) → Promise<json>, ctx() → render context, refresh() → re-fetch modals, notify(msg) }
 */
export function modalController(deps) {
  let dlg = null;
  let shown = null; // {id, hash, key}
  let form = null;
  let errors = {};
  let returnFocus = null;
  let busy = false;

  function close() {
    if (!dlg) return;
    dlg.close();
    dlg.remove();
    dlg = null;
    shown = null;
    form = null;
    const back = returnFocus;
    returnFocus = null;
    if (back && back.isConnected) back.focus();
    else document.getElementById('composer-input')?.focus();
  }

  function build(view, prior) {
    const ctx = deps.ctx();
    const titleId = uid('modal-title');
    form = { readers: [] };
    const f = form;
    const renderCtx = {
      ...ctx, fk: `view:${view.id}`, headingLevel: 3,
      renderInput: (b) => inputBlock(b, renderCtx, f, prior?.[b.block_id]?.[b.element?.action_id], errors[b.block_id]),
      onAction: (action) => deps.post('/sandbox/api/action', { as: ctx.as, source: { type: 'view', viewId: view.id }, action, values: stateValues(f) })
        .then(deps.afterPost),
    };
    const body = h('div', { class: 'modal-body' }, renderBlocks(view.blocks, renderCtx));
    const closeLabel = plain(view.close?.text ?? 'Cancel');
    const buttons = h('div', { class: 'dialog-buttons' },
      h('button', { type: 'button', class: 'btn', onclick: () => cancel(view) }, closeLabel),
      view.submit ? h('button', { type: 'submit', class: 'btn btn-primary' }, plain(view.submit.text)) : null);
    const formEl = h('form', { class: 'modal-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(view); } },
      h('div', { class: 'modal-head' },
        h('h2', { id: titleId }, plain(view.title?.text ?? '')),
        h('button', { type: 'button', class: 'btn-icon modal-x', 'aria-label': 'Dismiss dialog', onclick: () => cancel(view) },
          h('span', { 'aria-hidden': 'true' }, '×'))),
      body,
      h('p', { class: 'form-error', role: 'status', id: `${titleId}-status` }),
      buttons);
    const d = h('dialog', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'data-view-id': view.id }, formEl);
    d.addEventListener('cancel', (e) => { e.preventDefault(); cancel(view); });
    return d;
  }

  const saved = new Map(); // view id → values typed before a push covered it

  function show(view, keepValues) {
    if (!keepValues && shown && form) saved.set(shown.id, stateValues(form));
    const prior = keepValues && form ? stateValues(form) : saved.get(view.id) ?? null;
    const hadFocus = dlg && dlg.contains(document.activeElement) ? document.activeElement.closest('[data-block-id]')?.dataset.blockId : null;
    const next = build(view, prior);
    if (dlg) {
      dlg.replaceWith(next);
      dlg = next;
      if (!dlg.open) dlg.showModal();
    } else {
      returnFocus = document.activeElement;
      document.body.append(next);
      dlg = next;
      dlg.showModal();
    }
    shown = { id: view.id, hash: view.hash, key: JSON.stringify([view.blocks, view.title, view.submit, view.close]) };
    const inputs = new Set((view.blocks ?? []).filter((bl) => bl.type === 'input').map((bl) => bl.block_id));
    const stray = Object.entries(errors).filter(([id]) => !inputs.has(id)).map(([, msg]) => msg);
    if (stray.length) dlg.querySelector('.form-error').textContent = stray.join(' ');
    const again = hadFocus && dlg.querySelector(`[data-block-id="${CSS.escape(hadFocus)}"] :is(input,select,textarea)`);
    const first = dlg.querySelector('.modal-body :is(input:not([type=hidden]),select,textarea)')
      ?? dlg.querySelector(`.modal-body :is(${FOCUSABLE})`) ?? dlg.querySelector('.dialog-buttons .btn-primary, .dialog-buttons .btn') ?? dlg.querySelector(FOCUSABLE);
    (again || first)?.focus();
  }

  async function submit(view) {
    if (busy) return;
    busy = true;
    const status = dlg?.querySelector('.form-error');
    try {
      const ctx = deps.ctx();
      const res = await deps.post('/sandbox/api/submit', { as: ctx.as, viewId: view.id, values: stateValues(form) });
      if (!res.ok) { if (status) status.textContent = `Could not submit: ${res.error ?? 'error'}`; return; }
      if (res.result === 'errors') {
        errors = res.errors ?? {};
        show(view, true);
        const firstErr = dlg.querySelector('.has-error :is(input,select,textarea)');
        firstErr?.focus();
        return;
      }
      errors = {};
      await deps.refresh();
    } finally {
      busy = false;
    }
  }

  async function cancel(view) {
    const ctx = deps.ctx();
    errors = {};
    await deps.post('/sandbox/api/close', { as: ctx.as, viewId: view.id });
    await deps.refresh();
  }

  /** Called with the latest stack from GET /modals. */
  function render(stack) {
    const top = stack[stack.length - 1];
    if (!top) { errors = {}; saved.clear(); close(); return; }
    if (shown && shown.id === top.id) {
      const key = JSON.stringify([top.blocks, top.title, top.submit, top.close]);
      const srvErrors = top.errors ?? {};
      const errChanged = Object.keys(srvErrors).length && JSON.stringify(srvErrors) !== JSON.stringify(errors);
      if (key === shown.key && !errChanged) return; // same view: keep what the person typed
      if (errChanged) errors = srvErrors;
      show(top, true); // views.update: keep values of blocks that stayed
      return;
    }
    errors = top.errors ?? {};
    show(top, false);
  }

  return { render, close, isOpen: () => !!dlg };
}
