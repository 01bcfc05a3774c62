// Modal input blocks: one labelled control per block, read back as Slack's view.state.values.
import { h, uid } from './dom.js';
import { plain } from './mrkdwn.js';
import { isSelect, makeSelect, selectState } from './elements.js';

const opt = (o) => plain(o.text?.text ?? o.value ?? '');

function choices(el, ids, prior) {
  const multi = el.type === 'checkboxes';
  const init = new Set(
    (prior ? prior.selected_options ?? (prior.selected_option ? [prior.selected_option] : [])
      : el.initial_options ?? (el.initial_option ? [el.initial_option] : [])).map((o) => o.value));
  const list = h('div', { class: 'choices' });
  (el.options ?? []).forEach((o, i) => {
    const id = `${ids.control}-${i}`;
    list.append(h('div', { class: 'choice' },
      h('input', { type: multi ? 'checkbox' : 'radio', id, name: ids.control, value: o.value, checked: init.has(o.value) }),
      h('label', { for: id }, opt(o)),
      o.description ? h('div', { class: 'choice-desc' }, plain(o.description.text ?? '')) : null));
  });
  const read = () => {
    const picked = (el.options ?? []).filter((o, i) => list.querySelector(`#${CSS.escape(`${ids.control}-${i}`)}`).checked);
    return multi ? { type: el.type, selected_options: picked } : { type: el.type, selected_option: picked[0] ?? null };
  };
  return { control: list, read, fieldset: true };
}

function control(el, ids, ctx, prior) {
  const common = { id: ids.control, 'data-action-id': el.action_id, 'aria-describedby': ids.describedBy };
  const ph = el.placeholder?.text ? plain(el.placeholder.text) : null;
  switch (el.type) {
    case 'plain_text_input': case 'email_text_input': case 'url_text_input': {
      const value = prior ? prior.value ?? '' : el.initial_value ?? '';
      const attrs = { ...common, class: 'input', placeholder: ph, maxlength: el.max_length ?? null, minlength: el.min_length ?? null };
      const c = el.multiline ? h('textarea', { ...attrs, rows: 4 }) : h('input', {
        ...attrs, type: el.type === 'email_text_input' ? 'email' : el.type === 'url_text_input' ? 'url' : 'text',
      });
      c.value = value;
      return { control: c, read: () => ({ type: el.type, value: c.value === '' ? null : c.value }) };
    }
    case 'number_input': {
      const c = h('input', {
        ...common, type: 'number', class: 'input', placeholder: ph, step: el.is_decimal_allowed ? 'any' : '1',
        min: el.min_value ?? null, max: el.max_value ?? null, inputmode: el.is_decimal_allowed ? 'decimal' : 'numeric',
      });
      c.value = prior ? prior.value ?? '' : el.initial_value ?? '';
      return { control: c, read: () => ({ type: el.type, value: c.value === '' ? null : c.value }) };
    }
    case 'datepicker': {
      const c = h('input', { ...common, type: 'date', class: 'input' });
      c.value = prior ? prior.selected_date ?? '' : el.initial_date ?? '';
      return { control: c, read: () => ({ type: el.type, selected_date: c.value || null }) };
    }
    case 'timepicker': {
      const c = h('input', { ...common, type: 'time', class: 'input' });
      c.value = prior ? prior.selected_time ?? '' : el.initial_time ?? '';
      return { control: c, read: () => ({ type: el.type, selected_time: c.value || null, ...(el.timezone ? { timezone: el.timezone } : {}) }) };
    }
    case 'datetimepicker': {
      const c = h('input', { ...common, type: 'datetime-local', class: 'input' });
      const init = prior?.selected_date_time ?? el.initial_date_time;
      if (init) c.value = new Date(init * 1000).toISOString().slice(0, 16);
      return { control: c, read: () => ({ type: el.type, selected_date_time: c.value ? Math.floor(new Date(c.value + 'Z').getTime() / 1000) : null }) };
    }
    case 'checkboxes': case 'radio_buttons': return choices(el, ids, prior);
    default:
      if (isSelect(el.type)) {
        const c = makeSelect(el, ctx, { ...common, class: 'select' }, prior);
        return { control: c, read: () => selectState(el, c, ctx) };
      }
      return { control: h('p', { id: ids.control }, `[${el.type} is not supported in the sandbox]`), read: () => ({ type: el.type }) };
  }
}

/**
 * Renders an input block. `form` collects readers: form.readers.push({block_id, action_id, read}).
 * prior: state kept from an earlier render of the same view; error: inline message from response_action errors.
 */
export function inputBlock(b, ctx, form, prior, error) {
  const el = b.element ?? {};
  const base = uid('in');
  const ids = { control: `${base}-c`, label: `${base}-l`, hint: `${base}-h`, error: `${base}-e` };
  ids.describedBy = [b.hint ? ids.hint : null, error ? ids.error : null].filter(Boolean).join(' ') || null;
  const c = control(el, ids, ctx, prior);
  const labelText = [plain(b.label?.text ?? ''), b.optional ? h('span', { class: 'optional' }, ' (optional)') : null];
  const hint = b.hint ? h('p', { class: 'hint', id: ids.hint }, plain(b.hint.text ?? '')) : null;
  const err = h('p', { class: 'field-error', id: ids.error, role: error ? 'alert' : null, hidden: !error }, error ? `⚠ ${error}` : '');
  let node;
  if (c.fieldset) {
    c.control.querySelectorAll('input').forEach((i) => ids.describedBy && i.setAttribute('aria-describedby', ids.describedBy));
    node = h('fieldset', { class: 'input-block', 'aria-invalid': error ? 'true' : null },
      h('legend', { id: ids.label }, labelText), c.control, hint, err);
  } else {
    if (error) c.control.setAttribute('aria-invalid', 'true');
    if (!b.optional && el.type !== 'checkboxes') c.control.setAttribute('aria-required', 'true');
    node = h('div', { class: 'input-block' }, h('label', { id: ids.label, for: ids.control }, labelText), c.control, hint, err);
  }
  node.dataset.blockId = b.block_id ?? '';
  if (error) node.classList.add('has-error');
  form.readers.push({ block_id: b.block_id, action_id: el.action_id, read: c.read });
  if (b.dispatch_action && ctx.onAction) {
    const send = () => ctx.onAction({ action_id: el.action_id, block_id: b.block_id, ...c.read() });
    node.addEventListener('change', send);
  }
  return node;
}

/** Slack's view.state.values from the readers of a rendered form. */
export function stateValues(form) {
  const values = {};
  for (const r of form.readers) {
    if (!r.block_id) continue;
    (values[r.block_id] ??= {})[r.action_id] = r.read();
  }
  return values;
}
