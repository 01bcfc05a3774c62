/**
 * Checks Block Kit against the limits Slack enforces, so a unit test fails where Slack would
 * answer `invalid_blocks`. Works on a View (modal/home), a message `{ text, blocks }` or a
 * bare block array. Lengths are UTF-16 units, the strict reading of Slack's limits.
 *
 * Also: `mrkdwnStrings` (every string Slack parses as mrkdwn) and `assertNoBroadcasts` (no
 * `<!channel>`, `<!here>`, `<!everyone>` or user-group pings in them).
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface LimitOptions {
  /** For a bare block array: message (50 blocks, no inputs) or modal/home (100). Default message. */
  surface?: 'message' | 'modal' | 'home';
}

export function slackLimitProblems(subject: unknown, opts: LimitOptions = {}): string[] {
  const problems: string[] = [];
  const p = (where: string, what: string) => problems.push(`${where}: ${what}`);
  const maxLen = (where: string, v: unknown, max: number) => {
    const s = str(v);
    if (s !== undefined && s.length > max) p(where, `${s.length} characters, limit ${max}`);
  };

  const textObject = (where: string, t: unknown, max: number, plainOnly = false) => {
    if (!isObj(t)) return p(where, 'missing text object');
    if (t.type !== 'plain_text' && t.type !== 'mrkdwn') p(where, `bad text type ${String(t.type)}`);
    if (plainOnly && t.type !== 'plain_text') p(where, 'must be plain_text');
    const s = str(t.text);
    if (s === undefined || s.length === 0) return p(where, 'empty text');
    maxLen(where, s, max);
  };

  const option = (where: string, o: unknown) => {
    if (!isObj(o)) return p(where, 'option is not an object');
    textObject(`${where}.text`, o.text, 75);
    maxLen(`${where}.value`, o.value, 150);
    if (o.description !== undefined) textObject(`${where}.description`, o.description, 75);
  };

  const element = (where: string, el: unknown) => {
    if (!isObj(el)) return p(where, 'element is not an object');
    maxLen(`${where}.action_id`, el.action_id, 255);
    if (el.placeholder !== undefined) textObject(`${where}.placeholder`, el.placeholder, 150, true);
    if (el.type === 'button') {
      textObject(`${where}.text`, el.text, 75, true);
      maxLen(`${where}.value`, el.value, 2000);
      maxLen(`${where}.url`, el.url, 3000);
    }
    if (Array.isArray(el.options)) {
      const max = el.type === 'radio_buttons' || el.type === 'checkboxes' ? 10 : el.type === 'overflow' ? 5 : 100;
      if (el.options.length > max) p(`${where}.options`, `${el.options.length} options, limit ${max}`);
      el.options.forEach((o, i) => option(`${where}.options[${i}]`, o));
      const initial = [el.initial_option, ...(Array.isArray(el.initial_options) ? el.initial_options : [])].filter((x) => x !== undefined);
      for (const io of initial) {
        if (!el.options.some((o) => JSON.stringify(o) === JSON.stringify(io))) p(`${where}.initial_option`, 'not one of the options');
      }
    }
    if (el.type === 'plain_text_input') {
      const max = typeof el.max_length === 'number' ? el.max_length : 3000;
      if (max > 3000 || max < 1) p(`${where}.max_length`, `${max}, limit 3000`);
      const iv = str(el.initial_value);
      if (iv !== undefined && Array.from(iv).length > max) p(`${where}.initial_value`, `longer than max_length ${max}`);
    }
  };

  const blocks = (where: string, list: unknown, max: number, allowInputs: boolean) => {
    if (!Array.isArray(list)) return p(where, 'blocks is not an array');
    if (list.length > max) p(where, `${list.length} blocks, limit ${max}`);
    const ids = new Set<string>();
    list.forEach((b, i) => {
      const at = `${where}[${i}]`;
      if (!isObj(b)) return p(at, 'block is not an object');
      const id = str(b.block_id);
      if (id !== undefined) {
        maxLen(`${at}.block_id`, id, 255);
        if (ids.has(id)) p(`${at}.block_id`, `duplicate ${id}`);
        ids.add(id);
      }
      switch (b.type) {
        case 'section':
          if (b.text === undefined && b.fields === undefined) p(at, 'section without text or fields');
          if (b.text !== undefined) textObject(`${at}.text`, b.text, 3000);
          if (b.fields !== undefined) {
            if (!Array.isArray(b.fields) || b.fields.length > 10) p(`${at}.fields`, 'more than 10 fields');
            else b.fields.forEach((f, j) => textObject(`${at}.fields[${j}]`, f, 2000));
          }
          if (b.accessory !== undefined) element(`${at}.accessory`, b.accessory);
          break;
        case 'header':
          textObject(`${at}.text`, b.text, 150, true);
          break;
        case 'context':
          if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) p(`${at}.elements`, 'needs 1–10 elements');
          else b.elements.forEach((e, j) => (isObj(e) && e.type === 'image' ? undefined : textObject(`${at}.elements[${j}]`, e, 3000)));
          break;
        case 'actions':
          if (!Array.isArray(b.elements) || b.elements.length > 25) p(`${at}.elements`, 'needs ≤ 25 elements');
          else b.elements.forEach((e, j) => element(`${at}.elements[${j}]`, e));
          break;
        case 'input':
          if (!allowInputs) p(at, 'input blocks only belong in modals and Home');
          textObject(`${at}.label`, b.label, 2000, true);
          if (b.hint !== undefined) textObject(`${at}.hint`, b.hint, 2000, true);
          element(`${at}.element`, b.element);
          break;
        case 'divider':
          break;
        default:
          p(at, `unchecked block type ${String(b.type)}`);
      }
    });
  };

  if (Array.isArray(subject)) {
    const surface = opts.surface ?? 'message';
    blocks('blocks', subject, surface === 'message' ? 50 : 100, surface !== 'message');
  } else if (isObj(subject) && (subject.type === 'modal' || subject.type === 'home')) {
    if (subject.type === 'modal') {
      textObject('title', subject.title, 24, true);
      if (subject.submit !== undefined) textObject('submit', subject.submit, 24, true);
      if (subject.close !== undefined) textObject('close', subject.close, 24, true);
      const hasInput = Array.isArray(subject.blocks) && subject.blocks.some((b) => isObj(b) && b.type === 'input');
      if (hasInput && subject.submit === undefined) p('submit', 'required when the modal has inputs');
    }
    maxLen('callback_id', subject.callback_id, 255);
    maxLen('external_id', subject.external_id, 255);
    maxLen('private_metadata', subject.private_metadata, 3000);
    blocks('blocks', subject.blocks, 100, true);
  } else if (isObj(subject)) {
    const text = str(subject.text);
    if (text === undefined || text.trim() === '') p('text', 'a message needs a text fallback');
    maxLen('text', text, 40000);
    if (subject.blocks !== undefined) blocks('blocks', subject.blocks, 50, false);
  } else {
    p('subject', 'not a view, message or block array');
  }
  return problems;
}

export function assertWithinSlackLimits(subject: unknown, opts: LimitOptions = {}): void {
  const problems = slackLimitProblems(subject, opts);
  if (problems.length > 0) throw new Error(`Outside Slack's limits:\n  ${problems.join('\n  ')}`);
}

/** Every string Slack reads as mrkdwn: mrkdwn text objects anywhere, and a message's `text`. */
export function mrkdwnStrings(subject: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObj(v)) return;
    if (v.type === 'mrkdwn' && typeof v.text === 'string') out.push(v.text);
    Object.values(v).forEach(walk);
  };
  if (isObj(subject) && typeof subject.text === 'string' && subject.type === undefined) out.push(subject.text);
  walk(subject);
  return out;
}

/** Raw broadcast mentions and user-group pings, which typed text must never produce. */
export const FORBIDDEN_MRKDWN = /<!channel|<!here|<!everyone|<!subteam/i;

export function assertNoBroadcasts(subject: unknown): void {
  const bad = mrkdwnStrings(subject).filter((s) => FORBIDDEN_MRKDWN.test(s));
  if (bad.length > 0) throw new Error(`Unescaped broadcast mention in mrkdwn:\n  ${bad.map((s) => s.slice(0, 200)).join('\n  ')}`);
}
