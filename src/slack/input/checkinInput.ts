/**
 * Check-in input: the check-in modal's `view.state.values` and `private_metadata`, App Home's
 * "Check in" button and reminders' "Snooze a week" button. All of it is untrusted (payloads can
 * be forged): shapes and sizes are checked, problems are reported on the block they belong to.
 *
 * Metric values: the modal uses Slack's number_input, which sends plain decimal strings. We
 * accept `12`, `12.5`, `-3`, `+3`, `−3` (Unicode minus), `.5`, `0.50` and surrounding spaces.
 * We do NOT accept thousands separators (`1,234`) or a decimal comma (`12,5`): a comma means a
 * thousands separator to some people and a decimal point to others, and guessing would store a
 * value 1,000 times off. Such input gets an inline error asking for digits and a dot. Empty
 * means "unchanged" (no value is recorded for that outcome). Exponents, `NaN`, `Infinity`, hex
 * and magnitudes above 1e12 are refused.
 */
import { z } from 'zod';
import { parseDecimalId, parseJson } from './json';
import { HEALTHS, type Health, type Outcome } from '../../domain/types';
import { ACTION, BLOCK, checkinOutcomeBlock } from '../ids';

export const CHECKIN_LIMITS = { summaryMax: 3000, nextStepsMax: 3000, metricAbsMax: 1e12 } as const;

const UNREADABLE = 'This field could not be read; fill it in again';
const count = (n: number): string => n.toLocaleString('en-US');
/** Characters as people count them (code points), as Slack counts `max_length`. */
const chars = (s: string): number => Array.from(s).length;

export interface CheckinInput {
  health: Health;
  summary: string;
  nextSteps: string;
  /** Only outcomes with a metric and a typed value; positions are 0-based as stored. */
  outcomeValues: { position: number; value: number }[];
}

export type CheckinSubmission = { ok: true; input: CheckinInput } | { ok: false; errors: Record<string, string> };

const Root = z.record(z.string(), z.unknown());
const TextEl = z.object({ value: z.string().nullish() });
const OptionEl = z.object({ selected_option: z.object({ value: z.string() }).nullish() });

const NUMBER = /^[+\-\u2212]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export type MetricParse = { ok: true; value: number | null } | { ok: false; message: string };

/** One metric field as typed; `value: null` when empty (unchanged). */
export function parseMetricValue(text: string): MetricParse {
  const t = text.trim();
  if (t === '') return { ok: true, value: null };
  if (t.length > 40) return { ok: false, message: 'Write a number, e.g. 12 or 12.5' };
  if (/^[+\-\u2212]?[\d.]*,[\d,.]*$/.test(t)) {
    return { ok: false, message: 'Write the number without commas, with a dot for decimals: 1234 or 12.5' };
  }
  if (!NUMBER.test(t)) return { ok: false, message: 'Write a number, e.g. 12, 12.5 or -3' };
  const value = Number(t.replace('\u2212', '-'));
  if (!Number.isFinite(value) || Math.abs(value) > CHECKIN_LIMITS.metricAbsMax) {
    return { ok: false, message: `Keep the number between -${count(CHECKIN_LIMITS.metricAbsMax)} and ${count(CHECKIN_LIMITS.metricAbsMax)}` };
  }
  return { ok: true, value: Object.is(value, -0) ? 0 : value };
}

/**
 * Validates the check-in modal against the engagement's outcomes (as they are now). Blocks for
 * outcomes without a metric, or for positions that do not exist, are ignored even if a forged
 * payload sends them.
 */
export function parseCheckinSubmission(values: unknown, outcomes: readonly Outcome[]): CheckinSubmission {
  const root = Root.safeParse(values);
  const errors: Record<string, string> = {};
  const fail = (block: string, message: string) => {
    errors[block] ??= message;
  };
  const element = (block: string): unknown => {
    if (!root.success || !Object.hasOwn(root.data, block)) return undefined;
    const b = Root.safeParse(root.data[block]);
    return b.success && Object.hasOwn(b.data, ACTION.value) ? b.data[ACTION.value] : undefined;
  };
  const text = (block: string): string => {
    const el = element(block);
    if (el === undefined || el === null) return '';
    const parsed = TextEl.safeParse(el);
    if (!parsed.success) {
      fail(block, UNREADABLE);
      return '';
    }
    return (parsed.data.value ?? '').trim();
  };
  const longText = (block: string, max: number, required: string | null): string => {
    const v = text(block);
    if (chars(v) > max) fail(block, `This is ${count(chars(v))} characters; keep it to ${count(max)} or fewer`);
    else if (v === '' && required !== null) fail(block, required);
    return v;
  };

  const healthEl = OptionEl.safeParse(element(BLOCK.checkinHealth));
  const healthValue = healthEl.success ? healthEl.data.selected_option?.value : undefined;
  const health = HEALTHS.find((h) => h === healthValue) ?? null;
  if (health === null) fail(BLOCK.checkinHealth, 'Choose the health: green, amber or red');

  const summary = longText(BLOCK.checkinSummary, CHECKIN_LIMITS.summaryMax, 'Say in a few words how it is going');
  const nextSteps = longText(BLOCK.checkinNextSteps, CHECKIN_LIMITS.nextStepsMax, null);

  const outcomeValues: CheckinInput['outcomeValues'] = [];
  outcomes.forEach((o, position) => {
    if (o.metric === null) return;
    const block = checkinOutcomeBlock(position);
    const parsed = parseMetricValue(text(block));
    if (!parsed.ok) fail(block, parsed.message);
    else if (parsed.value !== null) outcomeValues.push({ position, value: parsed.value });
  });

  if (Object.keys(errors).length > 0 || health === null) return { ok: false, errors };
  return { ok: true, input: { health, summary, nextSteps, outcomeValues } };
}

// --- private_metadata and button values ------------------------------------------------------

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Which engagement the modal checks in on. The listener still checks the person may check in there. */
export const CheckinMetadata = z.strictObject({ engagementId: Id });
export type CheckinMetadata = z.infer<typeof CheckinMetadata>;

export const encodeCheckinMetadata = (meta: CheckinMetadata): string => JSON.stringify(CheckinMetadata.parse(meta));
/** null when missing, too long, not JSON, or not exactly `{ engagementId }`. */
export const parseCheckinMetadata = (text: unknown): CheckinMetadata | null => parseJson(CheckinMetadata, text, 3000);

/** App Home's (and a check-in reminder's) "Check in" button: the engagement id in decimal, nothing else. */
export function parseHomeButton(value: unknown): { engagementId: number } | null {
  const id = parseDecimalId(value);
  return id === null ? null : { engagementId: id };
}

/**
 * A reminder's snooze target. `checkin`: the engagement id (the snooze is for the person who
 * pressed it); `impediment`: the impediment id.
 */
export const SnoozeValue = z.strictObject({ kind: z.enum(['checkin', 'impediment']), id: Id });
export type SnoozeValue = z.infer<typeof SnoozeValue>;

export const encodeSnoozeValue = (value: SnoozeValue): string => JSON.stringify(SnoozeValue.parse(value));
/** null unless exactly `{"kind":"checkin"|"impediment","id":<positive integer>}` (≤ 100 characters). */
export const parseSnoozeValue = (value: unknown): SnoozeValue | null => parseJson(SnoozeValue, value, 100);
