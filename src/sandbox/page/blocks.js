// Block Kit renderer for messages, App Home and the non-input blocks of modals.
// ctx: {people, channels, botUserId, tz, now, as, currentChannel, onAction(action), renderInput?(block), fk, notify}
import { h } from './dom.js';
import { plain, textObject, mrkdwn, safeHref } from './mrkdwn.js';
import { isSelect, makeSelect, selectState } from './elements.js';
import { confirmDialog } from './confirm.js';
import { menuButton } from './menu.js';
import { richText } from './richtext.js';
import { icon } from './icons.js';

const fkey = (ctx, block, el) => `${ctx.fk ?? ''}|${block.block_id ?? ''}|${el.action_id ?? ''}`;

async function fire(ctx, block, el, action) {
  if (el.confirm && !(await confirmDialog(el.confirm, ctx))) return;
  ctx.onAction?.({ action_id: el.action_id, block_id: block.block_id ?? '', type: el.type, ...action });
}

function button(el, block, ctx) {
  const cls = 'btn' + (el.style === 'primary' ? ' btn-primary' : el.style === 'danger' ? ' btn-danger' : '');
  const label = plain(el.text?.text ?? '');
  const url = el.url ? safeHref(el.url) : null;
  return h('button', {
    type: 'button', class: cls, 'data-fk': fkey(ctx, block, el), 'aria-label': el.accessibility_label ?? null,
    onclick: () => {
      if (url) window.open(url, '_blank', 'noopener');
      fire(ctx, block, el, { value: el.value, text: el.text, ...(el.style ? { style: el.style } : {}) });
    },
  }, label);
}

function overflow(el, block, ctx) {
  const items = (el.options ?? []).map((o) => ({
    label: plain(o.text?.text ?? ''),
    onSelect: () => fire(ctx, block, el, { selected_option: o }),
  }));
  return menuButton(h('span', { 'aria-hidden': 'true' }, '⋯'), items, { class: 'btn btn-icon', 'aria-label': 'More options', 'data-fk': fkey(ctx, block, el) });
}

function selectEl(el, block, ctx) {
  const label = el.placeholder?.text ? plain(el.placeholder.text) : 'Choose an option';
  const sel = makeSelect(el, ctx, { class: 'select', 'aria-label': label, 'data-fk': fkey(ctx, block, el) });
  sel.addEventListener('change', () => fire(ctx, block, el, selectState(el, sel, ctx)));
  return sel;
}

function pickerEl(el, block, ctx, kind) {
  const init = kind === 'date' ? el.initial_date : el.initial_time;
  const label = el.placeholder?.text ? plain(el.placeholder.text) : kind === 'date' ? 'Choose a date' : 'Choose a time';
  const input = h('input', { type: kind, class: 'input', value: init ?? '', 'aria-label': label, 'data-fk': fkey(ctx, block, el) });
  input.addEventListener('change', () =>
    fire(ctx, block, el, kind === 'date' ? { selected_date: input.value || null } : { selected_time: input.value || null }));
  return input;
}

function choiceEl(el, block, ctx) {
  const multi = el.type === 'checkboxes';
  const name = `${ctx.fk ?? ''}-${block.block_id ?? ''}-${el.action_id}`;
  const init = new Set((el.initial_options ?? (el.initial_option ? [el.initial_option] : [])).map((o) => o.value));
  const box = h('div', { class: 'choices', role: 'group', 'aria-label': plain(block.text?.text ?? 'Options').slice(0, 80) });
  for (const o of el.options ?? []) {
    const input = h('input', { type: multi ? 'checkbox' : 'radio', name, value: o.value, checked: init.has(o.value) });
    input.addEventListener('change', () => {
      const picked = (el.options ?? []).filter((x) => box.querySelector(`input[value="${CSS.escape(x.value)}"]`)?.checked);
      fire(ctx, block, el, multi ? { selected_options: picked } : { selected_option: picked[0] ?? null });
    });
    box.append(h('label', { class: 'choice' }, input, ' ', plain(o.text?.text ?? '')));
  }
  return box;
}

function image(el) {
  return h('div', { class: 'img-placeholder', role: 'img', 'aria-label': plain(el.alt_text ?? 'Image') }, icon('image', 18), ' ', plain(el.alt_text ?? 'Image'));
}

/** One interactive (or image) element of a section accessory / actions / context block. */
export function element(el, block, ctx) {
  switch (el.type) {
    case 'button': case 'workflow_button': return button(el, block, ctx);
    case 'overflow': return overflow(el, block, ctx);
    case 'datepicker': return pickerEl(el, block, ctx, 'date');
    case 'timepicker': return pickerEl(el, block, ctx, 'time');
    case 'checkboxes': case 'radio_buttons': return choiceEl(el, block, ctx);
    case 'image': return image(el);
    default:
      if (isSelect(el.type)) return selectEl(el, block, ctx);
      return h('span', { class: 'unsupported' }, `[${el.type}]`);
  }
}

function section(b, ctx) {
  const main = h('div', { class: 'section-main' });
  if (b.text) main.append(textObject(b.text, ctx));
  if (b.fields?.length) main.append(h('div', { class: 'fields' }, b.fields.map((f) => textObject(f, ctx, 'div'))));
  const out = h('div', { class: 'block section' }, main);
  if (b.accessory) out.append(h('div', { class: 'accessory' }, element(b.accessory, b, ctx)));
  return out;
}

function context(b, ctx) {
  return h('div', { class: 'block context' }, (b.elements ?? []).map((e) =>
    e.type === 'image' ? h('span', { class: 'ctx-img', role: 'img', 'aria-label': plain(e.alt_text ?? 'Image') }, icon('image', 12))
      : textObject(e, ctx, 'span')));
}

function fileBlock(b) {
  return h('div', { class: 'block file' }, icon('file'), ' File ', plain(b.external_id ?? b.file_id ?? ''));
}

/** Renders a list of blocks into a container. */
export function renderBlocks(blocks, ctx) {
  const root = h('div', { class: 'blocks' });
  for (const b of blocks ?? []) {
    let node;
    switch (b.type) {
      case 'header': node = h('div', { class: 'block header', role: 'heading', 'aria-level': ctx.headingLevel ?? 3 }, plain(b.text?.text ?? '')); break;
      case 'section': node = section(b, ctx); break;
      case 'context': node = context(b, ctx); break;
      case 'divider': node = h('hr', { class: 'block divider' }); break;
      case 'actions': node = h('div', { class: 'block actions' }, (b.elements ?? []).map((e) => element(e, b, ctx))); break;
      case 'rich_text': node = richText(b, ctx); break;
      case 'image':
        node = h('figure', { class: 'block image' },
          b.title ? h('figcaption', {}, plain(b.title.text ?? '')) : null, image(b));
        break;
      case 'input': node = ctx.renderInput ? ctx.renderInput(b) : null; break;
      case 'file': node = fileBlock(b); break;
      case 'markdown': node = mrkdwn(b.text ?? '', ctx); break;
      default: node = h('div', { class: 'block unsupported' }, `[${b.type} block]`);
    }
    if (node) {
      if (b.block_id) node.dataset.blockId = b.block_id;
      root.append(node);
    }
  }
  return root;
}

/** A message body: its blocks, or its `text` (mrkdwn) when there are none. */
export function messageBody(item, ctx) {
  if (item.blocks?.length) return renderBlocks(item.blocks, ctx);
  return mrkdwn(item.text ?? '', ctx);
}
