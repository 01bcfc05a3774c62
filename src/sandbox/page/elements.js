// Select-like Block Kit elements shared by messages, Home and modals: options, initial values, state.
import { h } from './dom.js';
import { plain } from './mrkdwn.js';

const KIND = {
  static_select: 'static', multi_static_select: 'static', external_select: 'static', multi_external_select: 'static',
  users_select: 'users', multi_users_select: 'users',
  conversations_select: 'conversations', multi_conversations_select: 'conversations',
  channels_select: 'channels', multi_channels_select: 'channels',
};

export const isSelect = (type) => type in KIND;
export const isMulti = (type) => type.startsWith('multi_');

const optText = (o) => plain(o.text?.text ?? o.value ?? '');

/** [{group: label|null, options: [{value, label, option}]}] */
export function optionGroups(el, ctx) {
  const kind = KIND[el.type];
  if (kind === 'static') {
    const wrap = (opts) => (opts ?? []).map((o) => ({ value: o.value, label: optText(o), option: o }));
    if (el.option_groups) return el.option_groups.map((g) => ({ group: plain(g.label?.text ?? ''), options: wrap(g.options) }));
    return [{ group: null, options: wrap(el.options) }];
  }
  if (kind === 'users') return [{ group: null, options: (ctx.people ?? []).map((p) => ({ value: p.id, label: p.realName })) }];
  let chans = ctx.channels ?? [];
  const inc = el.filter?.include;
  if (kind === 'channels') chans = chans.filter((c) => !c.isPrivate || c.members?.includes(ctx.as));
  else if (inc && !inc.includes('private')) chans = chans.filter((c) => !c.isPrivate);
  else chans = chans.filter((c) => !c.isPrivate || c.members?.includes(ctx.as));
  if (inc && !inc.includes('public') && inc.includes('private')) chans = chans.filter((c) => c.isPrivate);
  return [{ group: null, options: chans.map((c) => ({ value: c.id, label: '#' + c.name + (c.isPrivate ? ' (private)' : '') })) }];
}

/** Values initially selected: from a prior state (kept across re-renders) or the element's initial_*. */
export function initialSelection(el, ctx, prior) {
  if (prior) {
    const s = prior.selected_options ?? (prior.selected_option ? [prior.selected_option] : null);
    if (s) return s.map((o) => o.value);
    for (const k of ['selected_users', 'selected_conversations', 'selected_channels']) if (prior[k]) return prior[k];
    for (const k of ['selected_user', 'selected_conversation', 'selected_channel']) if (k in prior) return prior[k] ? [prior[k]] : [];
    if ('selected_option' in prior) return [];
  }
  const i = el.initial_options ?? (el.initial_option ? [el.initial_option] : null);
  if (i) return i.map((o) => o.value);
  for (const k of ['initial_users', 'initial_conversations', 'initial_channels']) if (el[k]) return el[k];
  for (const k of ['initial_user', 'initial_conversation', 'initial_channel']) if (el[k]) return [el[k]];
  if (el.default_to_current_conversation && ctx.currentChannel && !String(ctx.currentChannel).startsWith('D')) return [ctx.currentChannel];
  return [];
}

/** A native <select> (multiple for multi_*) for any select element. */
export function makeSelect(el, ctx, attrs = {}, prior) {
  const multi = isMulti(el.type);
  const chosen = new Set(initialSelection(el, ctx, prior));
  const sel = h('select', { ...attrs, multiple: multi, 'data-action-id': el.action_id });
  if (!multi) {
    const ph = el.placeholder?.text ? plain(el.placeholder.text) : 'Choose…';
    sel.append(h('option', { value: '' }, ph));
  }
  for (const g of optionGroups(el, ctx)) {
    const parent = g.group !== null ? h('optgroup', { label: g.group }) : sel;
    for (const o of g.options) parent.append(h('option', { value: o.value, selected: chosen.has(o.value) }, o.label));
    if (parent !== sel) sel.append(parent);
  }
  if (multi) {
    sel.size = Math.min(6, Math.max(3, sel.options.length));
    const max = el.max_selected_items;
    let prev = [...sel.selectedOptions].map((o) => o.value);
    // Mouse: a click toggles one option (no Ctrl/⌘ needed), as in Slack's multi-selects.
    sel.addEventListener('mousedown', (e) => {
      if (!(e.target instanceof HTMLOptionElement) || e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      e.target.selected = !e.target.selected;
      sel.focus();
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    sel.addEventListener('change', () => {
      const now = [...sel.selectedOptions].map((o) => o.value);
      if (max && now.length > max) {
        for (const o of sel.options) o.selected = prev.includes(o.value);
        ctx.notify?.(`You can choose at most ${max}.`);
        return;
      }
      prev = now;
    });
  }
  return sel;
}

function findOption(el, ctx, value) {
  for (const g of optionGroups(el, ctx)) {
    const o = g.options.find((x) => x.value === value);
    if (o) return o.option ?? { text: { type: 'plain_text', text: o.label }, value };
  }
  return { text: { type: 'plain_text', text: value }, value };
}

/** Slack-shaped state for a select: {type, selected_option | selected_options | selected_user …}. */
export function selectState(el, sel, ctx) {
  const values = [...sel.selectedOptions].map((o) => o.value).filter((v) => v !== '');
  const kind = KIND[el.type];
  const type = el.type;
  if (kind === 'static') {
    if (isMulti(type)) return { type, selected_options: values.map((v) => findOption(el, ctx, v)) };
    return { type, selected_option: values[0] !== undefined ? findOption(el, ctx, values[0]) : null };
  }
  const key = { users: 'user', conversations: 'conversation', channels: 'channel' }[kind];
  if (isMulti(type)) return { type, [`selected_${key}s`]: values };
  return { type, [`selected_${key}`]: values[0] ?? null };
}
