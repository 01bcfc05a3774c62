/**
 * Block Kit limits as Slack enforces them, so a test fails where Slack would
 * reject a message or a view. Error strings follow Slack's style:
 * `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 */

type Obj = Record<string, unknown>;
export type Surface = 'message' | 'modal' | 'home';

const KNOWN_BLOCKS = new Set([
  'section', 'header', 'divider', 'actions', 'context', 'input', 'image', 'rich_text',
  'video', 'file', 'markdown', 'table', 'call', 'context_actions',
]);

export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  actionsElements: 25,
  selectOptions: 100,
  checkboxOptions: 10,
  overflowOptions: 5,
  id: 255,
  viewText: 24,
  privateMetadata: 3000,
  inputMaxLength: 3000,
  contextElements: 10,
  placeholder: 150,
  label: 2000,
  altText: 2000,
  messageText: 40000,
} as const;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly errors: string[] = [];

  add(message: string, pointer: string): void {
    this.errors.push(`${message} [json-pointer:${pointer}]`);
  }

  maxLen(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && value.length > max) this.add(`must be less than ${max + 1} characters`, pointer);
  }

  maxItems(value: unknown, max: number, pointer: string): void {
    if (Array.isArray(value) && value.length > max) this.add(`no more than ${max} items allowed`, pointer);
  }

  /** A composition text object: { type: plain_text|mrkdwn, text }. */
  text(value: unknown, pointer: string, o: { max: number; plainOnly?: boolean; required?: boolean }): void {
    if (value === undefined || value === null) {
      if (o.required) this.add('missing required field: text', pointer);
      return;
    }
    if (!isObj(value)) {
      this.add('must be a text object', pointer);
      return;
    }
    const allowed = o.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
      this.add(`must be one of: ${allowed.join(', ')}`, `${pointer}/type`);
    }
    if (typeof value.text !== 'string') {
      this.add('missing required field: text', `${pointer}/text`);
    } else if (value.text.length === 0) {
      this.add('must be more than 0 characters', `${pointer}/text`);
    } else {
      this.maxLen(value.text, o.max, `${pointer}/text`);
    }
  }

  option(value: unknown, pointer: string): void {
    if (!isObj(value)) {
      this.add('must be an option object', pointer);
      return;
    }
    this.text(value.text, `${pointer}/text`, { max: LIMITS.optionText, required: true });
    this.maxLen(value.value, LIMITS.optionValue, `${pointer}/value`);
    this.text(value.description, `${pointer}/description`, { max: LIMITS.optionDescription });
  }

  options(value: unknown, max: number, pointer: string): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      this.add('must be an array', pointer);
      return;
    }
    this.maxItems(value, max, pointer);
    value.forEach((opt, i) => this.option(opt, `${pointer}/${i}`));
  }

  element(el: unknown, pointer: string): void {
    if (!isObj(el) || typeof el.type !== 'string') {
      this.add('missing required field: type', pointer);
      return;
    }
    this.maxLen(el.action_id, LIMITS.id, `${pointer}/action_id`);
    this.text(el.placeholder, `${pointer}/placeholder`, { max: LIMITS.placeholder, plainOnly: true });
    switch (el.type) {
      case 'button':
        this.text(el.text, `${pointer}/text`, { max: LIMITS.buttonText, plainOnly: true, required: true });
        this.maxLen(el.value, LIMITS.buttonValue, `${pointer}/value`);
        this.maxLen(el.url, LIMITS.url, `${pointer}/url`);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
          this.add('must be one of: primary, danger', `${pointer}/style`);
        }
        break;
      case 'static_select':
      case 'multi_static_select':
        if (el.options === undefined && el.option_groups === undefined) {
          this.add('must provide either options or option_groups', pointer);
        }
        this.options(el.options, LIMITS.selectOptions, `${pointer}/options`);
        this.maxItems(el.option_groups, LIMITS.selectOptions, `${pointer}/option_groups`);
        if (Array.isArray(el.option_groups)) {
          el.option_groups.forEach((g, i) => {
            if (isObj(g)) this.options(g.options, LIMITS.selectOptions, `${pointer}/option_groups/${i}/options`);
          });
        }
        break;
      case 'overflow':
        this.options(el.options, LIMITS.overflowOptions, `${pointer}/options`);
        break;
      case 'checkboxes':
      case 'radio_buttons':
        this.options(el.options, LIMITS.checkboxOptions, `${pointer}/options`);
        break;
      case 'plain_text_input':
        for (const key of ['max_length', 'min_length'] as const) {
          const n = el[key];
          if (typeof n === 'number' && (n > LIMITS.inputMaxLength || n < 0)) {
            this.add(`must be between 0 and ${LIMITS.inputMaxLength}`, `${pointer}/${key}`);
          }
        }
        if (typeof el.min_length === 'number' && typeof el.max_length === 'number' && el.min_length > el.max_length) {
          this.add('min_length must not exceed max_length', `${pointer}/min_length`);
        }
        break;
      case 'datepicker':
        if (el.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(el.initial_date))) {
          this.add('must be in YYYY-MM-DD format', `${pointer}/initial_date`);
        }
        break;
      case 'number_input':
        if (typeof el.is_decimal_allowed !== 'boolean') {
          this.add('missing required field: is_decimal_allowed', `${pointer}/is_decimal_allowed`);
        }
        break;
      default:
        break;
    }
  }

  block(block: unknown, pointer: string, seenIds: Set<string>): boolean {
    if (!isObj(block) || typeof block.type !== 'string') {
      this.add('missing required field: type', pointer);
      return false;
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string') this.add('must be a string', `${pointer}/block_id`);
      else {
        this.maxLen(block.block_id, LIMITS.id, `${pointer}/block_id`);
        if (seenIds.has(block.block_id)) this.add(`duplicate block_id "${block.block_id}"`, `${pointer}/block_id`);
        seenIds.add(block.block_id);
      }
    }
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) {
          this.add('must provide either text or fields', pointer);
        }
        this.text(block.text, `${pointer}/text`, { max: LIMITS.sectionText });
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields)) this.add('must be an array', `${pointer}/fields`);
          else {
            this.maxItems(block.fields, LIMITS.sectionFields, `${pointer}/fields`);
            block.fields.forEach((f, i) => this.text(f, `${pointer}/fields/${i}`, { max: LIMITS.fieldText, required: true }));
          }
        }
        if (block.accessory !== undefined) this.element(block.accessory, `${pointer}/accessory`);
        break;
      case 'header':
        this.text(block.text, `${pointer}/text`, { max: LIMITS.headerText, plainOnly: true, required: true });
        break;
      case 'actions':
        this.elementList(block.elements, `${pointer}/elements`, LIMITS.actionsElements, (el, p) => this.element(el, p));
        this.uniqueActionIds(block.elements, `${pointer}/elements`);
        break;
      case 'context':
        this.elementList(block.elements, `${pointer}/elements`, LIMITS.contextElements, (el, p) => {
          if (isObj(el) && el.type === 'image') this.maxLen(el.alt_text, LIMITS.altText, `${p}/alt_text`);
          else this.text(el, p, { max: LIMITS.sectionText, required: true });
        });
        break;
      case 'input':
        this.text(block.label, `${pointer}/label`, { max: LIMITS.label, plainOnly: true, required: true });
        this.text(block.hint, `${pointer}/hint`, { max: LIMITS.label, plainOnly: true });
        if (block.element === undefined) this.add('missing required field: element', `${pointer}/element`);
        else this.element(block.element, `${pointer}/element`);
        break;
      case 'image':
        if (typeof block.alt_text !== 'string') this.add('missing required field: alt_text', `${pointer}/alt_text`);
        this.maxLen(block.alt_text, LIMITS.altText, `${pointer}/alt_text`);
        this.maxLen(block.image_url, LIMITS.url, `${pointer}/image_url`);
        this.text(block.title, `${pointer}/title`, { max: LIMITS.altText, plainOnly: true });
        break;
      default:
        if (!KNOWN_BLOCKS.has(block.type)) this.add(`unsupported block type "${block.type}"`, `${pointer}/type`);
    }
    return block.type === 'input';
  }

  private elementList(value: unknown, pointer: string, max: number, each: (el: unknown, p: string) => void): void {
    if (!Array.isArray(value) || value.length === 0) {
      this.add('must contain at least 1 element', pointer);
      return;
    }
    this.maxItems(value, max, pointer);
    value.forEach((el, i) => each(el, `${pointer}/${i}`));
  }

  private uniqueActionIds(value: unknown, pointer: string): void {
    if (!Array.isArray(value)) return;
    const seen = new Set<string>();
    value.forEach((el, i) => {
      if (!isObj(el) || typeof el.action_id !== 'string') return;
      if (seen.has(el.action_id)) this.add(`duplicate action_id "${el.action_id}"`, `${pointer}/${i}/action_id`);
      seen.add(el.action_id);
    });
  }

  /** Returns whether any input block was seen. */
  blocks(blocks: unknown, pointer: string, surface: Surface): boolean {
    if (!Array.isArray(blocks)) {
      this.add('must be an array', pointer);
      return false;
    }
    const max = surface === 'message' ? LIMITS.blocksPerMessage : LIMITS.blocksPerView;
    this.maxItems(blocks, max, pointer);
    const seen = new Set<string>();
    let hasInput = false;
    blocks.forEach((b, i) => {
      if (this.block(b, `${pointer}/${i}`, seen)) hasInput = true;
    });
    return hasInput;
  }
}

/** Errors for a message's `blocks` (empty when valid). */
export function validateMessageBlocks(blocks: unknown): string[] {
  const checker = new Checker();
  checker.blocks(blocks, '/blocks', 'message');
  return checker.errors;
}

/** Errors for a view (modal or home), with pointers under /view. */
export function validateView(view: unknown, allowedTypes: readonly string[]): string[] {
  const c = new Checker();
  if (!isObj(view)) {
    c.add('must be an object', '/view');
    return c.errors;
  }
  if (typeof view.type !== 'string' || !allowedTypes.includes(view.type)) {
    c.add(`must be one of: ${allowedTypes.join(', ')}`, '/view/type');
  }
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  const hasInput = c.blocks(view.blocks, '/view/blocks', surface);
  c.maxLen(view.callback_id, LIMITS.id, '/view/callback_id');
  c.maxLen(view.external_id, LIMITS.id, '/view/external_id');
  c.maxLen(view.private_metadata, LIMITS.privateMetadata, '/view/private_metadata');
  if (surface === 'modal') {
    c.text(view.title, '/view/title', { max: LIMITS.viewText, plainOnly: true, required: true });
    c.text(view.submit, '/view/submit', { max: LIMITS.viewText, plainOnly: true });
    c.text(view.close, '/view/close', { max: LIMITS.viewText, plainOnly: true });
    if (hasInput && view.submit === undefined) {
      c.add('submit is required when a view contains input blocks', '/view/submit');
    }
  }
  return c.errors;
}
