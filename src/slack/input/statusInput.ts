/**
 * `/status` input: the command text, and the `value` of the "Share in channel" and pagination
 * buttons. All of it is untrusted (button values come back from Slack and can be forged):
 * anything that is not exactly the expected shape reads as null, and the listener answers
 * with a fresh view instead of acting on it.
 */
import { z } from 'zod';
import { parseJson } from './json';
import { isValidKey } from '../../domain/kickoffRules';

export const STATUS_FILTERS = ['active', 'mine', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export type StatusCommand =
  /** No text: this channel's engagement, or the portfolio elsewhere. */
  | { kind: 'here' }
  | { kind: 'key'; key: string }
  | { kind: 'mine' }
  | { kind: 'all' }
  /** The check-in modal; without a key, the channel's engagement (or a picker). */
  | { kind: 'update'; key: string | null }
  | { kind: 'export'; target: { type: 'key'; key: string } | { type: 'all' } }
  /** When the weekly digest goes out, e.g. `/status digest payments monday 09:00`. */
  | { kind: 'digest'; key: string; schedule: string }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const STATUS_USAGE = {
  general: 'Usage: /status, /status KEY, /status mine, /status all, /status update [KEY], /status export KEY|all, /status help',
  update: 'Usage: /status update [KEY]',
  export: 'Usage: /status export KEY or /status export all',
  digest: 'Usage: /status digest KEY WEEKDAY HH:MM, e.g. /status digest payments-platform friday 16:00',
} as const;

const BAD_KEY = 'Engagement keys look like `payments-platform`: lowercase letters, digits and dashes';

/** Words are subcommands first: an engagement keyed `mine`, `all`, `help`, `update` or `export` is reached through the portfolio. */
export function parseStatusCommand(text: unknown): StatusCommand {
  if (typeof text !== 'string') return { kind: 'error', message: `I could not read that command. ${STATUS_USAGE.general}` };
  const parts = text.trim().split(/\s+/).filter((p) => p !== '');
  const [first, second, ...rest] = parts.map((p) => p.toLowerCase());
  if (first === undefined) return { kind: 'here' };
  if (first === 'help') return parts.length === 1 ? { kind: 'help' } : { kind: 'error', message: STATUS_USAGE.general };
  if (first === 'mine' || first === 'all') return parts.length === 1 ? { kind: first } : { kind: 'error', message: STATUS_USAGE.general };
  if (first === 'update') {
    if (second === undefined) return { kind: 'update', key: null };
    if (rest.length > 0) return { kind: 'error', message: STATUS_USAGE.update };
    return isValidKey(second) ? { kind: 'update', key: second } : { kind: 'error', message: `${BAD_KEY}. ${STATUS_USAGE.update}` };
  }
  if (first === 'export') {
    if (second === undefined || rest.length > 0) return { kind: 'error', message: STATUS_USAGE.export };
    if (second === 'all') return { kind: 'export', target: { type: 'all' } };
    return isValidKey(second) ? { kind: 'export', target: { type: 'key', key: second } } : { kind: 'error', message: `${BAD_KEY}. ${STATUS_USAGE.export}` };
  }
  if (first === 'digest') {
    if (second === undefined || rest.length === 0) return { kind: 'error', message: STATUS_USAGE.digest };
    return isValidKey(second) ? { kind: 'digest', key: second, schedule: rest.join(' ') } : { kind: 'error', message: `${BAD_KEY}. ${STATUS_USAGE.digest}` };
  }
  if (parts.length > 1) return { kind: 'error', message: STATUS_USAGE.general };
  return isValidKey(first) ? { kind: 'key', key: first } : { kind: 'error', message: `${BAD_KEY}. ${STATUS_USAGE.general}` };
}

// --- button values ---------------------------------------------------------------------------

/** Slack's limit on a button's `value`. */
export const BUTTON_VALUE_MAX = 2000;
const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Page = z.number().int().min(1).max(1_000_000);
const Filter = z.enum(STATUS_FILTERS);

/** What "Share in channel" re-renders: one engagement, or a page of the portfolio. */
export const ShareValue = z.discriminatedUnion('v', [
  z.strictObject({ v: z.literal('engagement'), id: Id }),
  z.strictObject({ v: z.literal('portfolio'), filter: Filter, page: Page }),
]);
export type ShareValue = z.infer<typeof ShareValue>;

/** The page a pagination button asks for. */
export const PageValue = z.strictObject({ filter: Filter, page: Page });
export type PageValue = z.infer<typeof PageValue>;

export const encodeShareValue = (v: ShareValue): string => JSON.stringify(ShareValue.parse(v));
export const encodePageValue = (v: PageValue): string => JSON.stringify(PageValue.parse(v));
/** null when missing, too long, not JSON, or not exactly one of the shapes. */
export const parseShareValue = (value: unknown): ShareValue | null => parseJson(ShareValue, value, BUTTON_VALUE_MAX);
export const parsePageValue = (value: unknown): PageValue | null => parseJson(PageValue, value, BUTTON_VALUE_MAX);
