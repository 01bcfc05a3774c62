/**
 * Block Kit helpers that keep every view within Slack's limits and keep user text inert.
 *
 * Rule: text a person typed goes through `escapeMrkdwn` before it enters mrkdwn (section
 * text, fields, context, the `text` fallback). Helpers that take `mrkdwn` trust their input;
 * helpers that take plain text (`plainText`, `header`) need no escaping because Slack shows
 * plain_text literally. Lengths are counted in UTF-16 units (≥ characters), so a cut is
 * always on the safe side of Slack's limits.
 */
import type { ContextBlock, DividerBlock, HeaderBlock, InputBlock, InputBlockElement, KnownBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import { ACTION } from '../ids';

export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  optionText: 75,
  id: 255,
  modalTitle: 24,
  privateMetadata: 3000,
  inputMaxLength: 3000,
  contextElements: 10,
  /** Our own budget for a message's `text` fallback. */
  fallbackText: 3000,
} as const;

/** `&`, `<`, `>` → entities, so typed `<!channel>`, `<@U1>` or `<http://evil|bank>` never ping or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * For text our own code wrote (failure reasons, refusals): escaped like `escapeMrkdwn`, but
 * mentions of one user or channel (`<@U1>`, `<#C1>`) stay live. `<!channel>`, `<!here>`,
 * user groups and links are still neutralised.
 */
/** A link Slack gave us (a permalink), labelled; null for anything that is not a plain http(s) URL. */
export function safeLink(url: string | null | undefined, label: string): string | null {
  if (!url || url.length > 2000 || !/^https?:\/\/[^\s<>|`]+$/.test(url)) return null;
  return `<${url.replace(/&/g, '&amp;')}|${escapeMrkdwn(label)}>`;
}

export function escapeExceptMentions(text: string): string {
  return escapeMrkdwn(text)
    .replace(/&lt;@([UW][A-Z0-9]{1,30})&gt;/g, '<@$1>')
    .replace(/&lt;#([CG][A-Z0-9]{1,30})&gt;/g, '<#$1>');
}

/** Cuts to at most `max` UTF-16 units, ending in `…`, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? '…' : '';
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Like `truncate`, and never leaves half an entity (`&am…`) or half a mention (`<@U12…`). */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = truncate(text, max).slice(0, -1);
  cut = cut.replace(/&[a-z]{0,3}$/, '');
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  return `${cut}…`;
}

const nonEmpty = (text: string): string => (text.trim() === '' ? '—' : text);

export function plainText(text: string, max: number = SLACK_LIMITS.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(nonEmpty(text), max), emoji: true };
}

/** A mrkdwn text object; `verbatim` stops Slack from auto-linking or auto-mentioning typed text. */
export function mrkdwn(text: string, max: number = SLACK_LIMITS.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: truncateMrkdwn(nonEmpty(text), max), verbatim: true };
}

export function mrkdwnSection(text: string, blockId?: string): SectionBlock {
  const block: SectionBlock = { type: 'section', text: mrkdwn(text) };
  if (blockId !== undefined) block.block_id = blockId;
  return block;
}

/** A section of up to 10 mrkdwn fields (each ≤ 2000). */
export function fieldsSection(fields: readonly string[]): SectionBlock {
  return { type: 'section', fields: fields.slice(0, SLACK_LIMITS.fields).map((f) => mrkdwn(f, SLACK_LIMITS.fieldText)) };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, SLACK_LIMITS.header) };
}

/** Up to 10 mrkdwn elements. */
export function context(items: readonly string[]): ContextBlock {
  return { type: 'context', elements: items.slice(0, SLACK_LIMITS.contextElements).map((t) => mrkdwn(t)) };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export interface ListOptions {
  maxChars?: number;
  bullet?: string;
}

/**
 * `*title*` then one bulleted line per item (items are mrkdwn — escape user text first),
 * packed into as few sections as fit `maxChars`; an item longer than a section is cut.
 */
export function listSections(title: string, items: readonly string[], opts: ListOptions = {}): SectionBlock[] {
  const maxChars = opts.maxChars ?? SLACK_LIMITS.sectionText;
  const bullet = opts.bullet ?? '•';
  const sections: SectionBlock[] = [];
  let current = title === '' ? '' : truncateMrkdwn(`*${title}*`, maxChars);
  for (const item of items) {
    const line = truncateMrkdwn(bullet === '' ? item : `${bullet} ${item}`, maxChars);
    const joined = current === '' ? line : `${current}\n${line}`;
    if (joined.length <= maxChars) {
      current = joined;
    } else {
      sections.push(mrkdwnSection(current));
      current = line;
    }
  }
  if (current !== '') sections.push(mrkdwnSection(current));
  return sections;
}

/**
 * Keeps at most `max` blocks: when there are more, the first `max - 1` stay and a context
 * "…and N more — {overflowNote}" replaces the rest (`overflowNote` is mrkdwn).
 */
export function capBlocks(blocks: readonly KnownBlock[], max: number, overflowNote: string): KnownBlock[] {
  if (blocks.length <= max) return [...blocks];
  const kept = blocks.slice(0, Math.max(0, max - 1));
  const hidden = blocks.length - kept.length;
  return [...kept, context([`…and ${hidden} more — ${overflowNote}`])];
}

/** The `text` fallback: mrkdwn (escape user text first), cut to our budget. */
export function fallback(text: string): string {
  return truncateMrkdwn(nonEmpty(text), SLACK_LIMITS.fallbackText);
}

/** `<@U1>`; ids come from validated input, never from free text. */
export const userMention = (id: string): string => `<@${id}>`;
export const channelMention = (id: string): string => `<#${id}>`;

/**
 * A modal input block holding one element whose action_id is `ACTION.value` (so the block_id
 * alone says which field it is, and where an inline error goes).
 */
export function inputBlock(blockId: string, label: string, element: InputBlockElement, opts: { hint?: string; optional?: boolean } = {}): InputBlock {
  const block: InputBlock = { type: 'input', block_id: blockId, label: plainText(label, 2000), element: { ...element, action_id: ACTION.value } };
  if (opts.hint !== undefined) block.hint = plainText(opts.hint, 2000);
  if (opts.optional === true) block.optional = true;
  return block;
}
