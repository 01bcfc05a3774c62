/**
 * Impediment input: the text of `/impediment` and `/escalate`, the impediment modals'
 * `view.state.values`, their `private_metadata` and the card buttons' `value`. All of it is
 * untrusted (payloads can be forged): shapes and sizes are checked, problems are reported on
 * the block they belong to. Impediment refs (`IMP-12`, `imp-12`, `12`) and follow-up codes are
 * kept as typed; the domain parses them.
 */
import { z } from 'zod';
import { parseDecimalId, parseJson } from './json';
import { chars, tooLong, viewReader } from './viewState';
import { isValidKey } from '../../domain/kickoffRules';
import { SEVERITIES, type Severity } from '../../domain/impedimentTypes';
import { ACTION, ANONYMOUS_OPTION, BLOCK, ORGANISATIONAL_OPTION } from '../ids';
import { CONVERSATION_ID, decodeCommandText } from './kickoffView';

export const IMPEDIMENT_LIMITS = { descriptionMax: 3000, noteMax: 2000, reasonMax: 1000, replyMax: 2000 } as const;


// --- /impediment and /escalate text ----------------------------------------------------------

export type ListFilter = { type: 'key'; key: string } | { type: 'mine' } | { type: 'open' } | { type: 'default' };

export type ImpedimentCommand =
  | { kind: 'open' }
  | { kind: 'help' }
  | { kind: 'list'; filter: ListFilter }
  | { kind: 'resolve'; ref: string; note: string }
  | { kind: 'escalate'; ref: string; reason: string }
  | { kind: 'follow'; code: string; reply: string | null }
  | { kind: 'autoEscalation'; key: string; on: boolean }
  /** Quick capture. `text` is what was typed (decoded); `description` is it without a leading `!severity`. */
  | { kind: 'raise'; text: string; description: string; severity: Severity | null }
  | { kind: 'error'; message: string };

export type EscalateCommand = { kind: 'help' } | { kind: 'escalate'; ref: string; reason: string } | { kind: 'error'; message: string };

export const USAGE = {
  list: 'Usage: /impediment list [KEY|mine|open]',
  resolve: 'Usage: /impediment resolve IMP-12 what was done',
  escalate: 'Usage: /impediment escalate IMP-12 why it needs the next level',
  escalateCommand: 'Usage: /escalate IMP-12 why it needs the next level',
  follow: 'Usage: /impediment follow CODE [your reply]',
  autoEscalation: 'Usage: /impediment auto-escalation KEY on|off',
} as const;

const BAD_KEY = 'Engagement keys look like `payments-platform`: lowercase letters, digits and dashes';
const AUTO_ESCALATION_WORDS = new Set(['auto-escalation', 'autoescalation', 'auto_escalation']);

/** `first second rest…` of the trimmed text, with `rest` decoded from Slack's escaping. */
function words(text: string): { sub: string; arg: string | undefined; rest: string } {
  const m = /^(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return { sub: m?.[1]?.toLowerCase() ?? '', arg: m?.[2], rest: decodeCommandText(m?.[3] ?? '').trim() };
}

/** `ref reason` for escalate (shared by both commands). */
function escalation(arg: string | undefined, rest: string, usage: string): EscalateCommand {
  if (arg === undefined || rest === '') return { kind: 'error', message: usage };
  if (chars(rest) > IMPEDIMENT_LIMITS.reasonMax) return { kind: 'error', message: tooLong('The reason', chars(rest), IMPEDIMENT_LIMITS.reasonMax) };
  return { kind: 'escalate', ref: arg, reason: rest };
}

/** `!low`, `!high`, … at the start of quick-capture text. */
export function splitSeverity(text: string): { severity: Severity | null; description: string } {
  const m = /^!(\w+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  const word = m?.[1]?.toLowerCase();
  const severity = SEVERITIES.find((s) => s === word);
  if (!m || severity === undefined) return { severity: null, description: text.trim() };
  return { severity, description: (m[2] ?? '').trim() };
}

const UNREADABLE_COMMAND = 'I could not read that command. `/impediment help` shows what it understands';

export function parseImpedimentCommand(text: unknown): ImpedimentCommand {
  if (typeof text !== 'string') return { kind: 'error', message: UNREADABLE_COMMAND };
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'open' };
  const { sub, arg, rest } = words(trimmed);
  if (sub === 'help') return { kind: 'help' };
  if (sub === 'list') {
    if (arg === undefined) return { kind: 'list', filter: { type: 'default' } };
    const a = arg.toLowerCase();
    if (rest !== '') return { kind: 'error', message: USAGE.list };
    if (a === 'mine' || a === 'open') return { kind: 'list', filter: { type: a } };
    return isValidKey(a) ? { kind: 'list', filter: { type: 'key', key: a } } : { kind: 'error', message: `${BAD_KEY}. ${USAGE.list}` };
  }
  if (sub === 'resolve') {
    if (arg === undefined || rest === '') return { kind: 'error', message: USAGE.resolve };
    if (chars(rest) > IMPEDIMENT_LIMITS.noteMax) return { kind: 'error', message: tooLong('The note', chars(rest), IMPEDIMENT_LIMITS.noteMax) };
    return { kind: 'resolve', ref: arg, note: rest };
  }
  if (sub === 'escalate') return escalation(arg, rest, USAGE.escalate);
  if (sub === 'follow') {
    if (arg === undefined) return { kind: 'error', message: USAGE.follow };
    // A code may be typed with spaces between its groups (`F12 ABCD EFGH JKMN`): take all of it as the code.
    const spaced = /^follow\s+(F\d+(?:[\s-]+[A-Za-z0-9]{4}){3})(?:\s+([\s\S]*))?$/i.exec(trimmed);
    const code = spaced?.[1] ?? arg;
    const reply = spaced ? decodeCommandText(spaced[2] ?? '').trim() : rest;
    if (chars(reply) > IMPEDIMENT_LIMITS.replyMax) return { kind: 'error', message: tooLong('Your reply', chars(reply), IMPEDIMENT_LIMITS.replyMax) };
    return { kind: 'follow', code, reply: reply === '' ? null : reply };
  }
  if (AUTO_ESCALATION_WORDS.has(sub)) {
    const key = arg?.toLowerCase();
    const on = rest.toLowerCase();
    if (key === undefined || (on !== 'on' && on !== 'off')) return { kind: 'error', message: USAGE.autoEscalation };
    if (!isValidKey(key)) return { kind: 'error', message: `${BAD_KEY}. ${USAGE.autoEscalation}` };
    return { kind: 'autoEscalation', key, on: on === 'on' };
  }
  const decoded = decodeCommandText(trimmed).trim();
  const { severity, description } = splitSeverity(decoded);
  if (description === '') return { kind: 'error', message: `Say what is blocking you after !${severity ?? 'high'}, e.g. /impediment !high The staging database is down` };
  if (chars(description) > IMPEDIMENT_LIMITS.descriptionMax) {
    return { kind: 'error', message: `${tooLong('The description', chars(description), IMPEDIMENT_LIMITS.descriptionMax)}, or use /impediment alone for the form` };
  }
  return { kind: 'raise', text: decoded, description, severity };
}

/** `/escalate IMP-n REASON` — the same as `/impediment escalate`. */
export function parseEscalateCommand(text: unknown): EscalateCommand {
  if (typeof text !== 'string') return { kind: 'error', message: UNREADABLE_COMMAND };
  const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m || m[1]?.toLowerCase() === 'help') return { kind: 'help' };
  return escalation(m[1], decodeCommandText(m[2] ?? '').trim(), USAGE.escalateCommand);
}

// --- view.state.values -----------------------------------------------------------------------

type Errors = Record<string, string>;
export type Submission<T> = { ok: true; input: T } | { ok: false; errors: Errors };

/** The one view-state reader, plus the severity choice these modals share. */
function reader(values: unknown) {
  const r = viewReader(values);
  return {
    ...r,
    severity(block: string): Severity | null {
      const v = r.option(block);
      const s = SEVERITIES.find((x) => x === v) ?? null;
      if (s === null) r.fail(block, 'Choose a severity');
      return s;
    },
  };
}

const done = <T>(errors: Errors, input: T): Submission<T> => (Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input });

export interface RaiseInput {
  engagementId: number;
  description: string;
  severity: Severity;
  organisational: boolean;
  anonymous: boolean;
}

export function parseRaiseSubmission(values: unknown): Submission<RaiseInput> {
  const r = reader(values);
  const engagement = r.option(BLOCK.impEngagement);
  if (parseDecimalId(engagement) === null) r.fail(BLOCK.impEngagement, 'Choose an engagement from the list');
  const description = r.text(BLOCK.impDescription, IMPEDIMENT_LIMITS.descriptionMax, 'Say what is blocking you');
  const severity = r.severity(BLOCK.impSeverity) ?? 'medium';
  const organisational = r.ticked(BLOCK.impOrganisational, ORGANISATIONAL_OPTION);
  const anonymous = r.ticked(BLOCK.impAnonymous, ANONYMOUS_OPTION);
  return done(r.errors, { engagementId: Number(engagement), description, severity, organisational, anonymous });
}

export function parseReasonSubmission(values: unknown): Submission<{ reason: string }> {
  const r = reader(values);
  const reason = r.text(BLOCK.impReason, IMPEDIMENT_LIMITS.reasonMax, 'Say why it needs the next level');
  return done(r.errors, { reason });
}

export type Resolution = 'resolved' | 'wont_fix';

export function parseResolveSubmission(values: unknown): Submission<{ resolution: Resolution; note: string }> {
  const r = reader(values);
  const value = r.option(BLOCK.impResolution);
  const resolution = value === 'resolved' || value === 'wont_fix' ? value : null;
  if (resolution === null) r.fail(BLOCK.impResolution, 'Choose resolved or won’t fix');
  const note = r.text(BLOCK.impNote, IMPEDIMENT_LIMITS.noteMax, 'Say what was done, or why it won’t be fixed');
  return done(r.errors, { resolution: resolution ?? 'resolved', note });
}

export function parseEditSubmission(values: unknown): Submission<{ description: string; severity: Severity }> {
  const r = reader(values);
  const description = r.text(BLOCK.impDescription, IMPEDIMENT_LIMITS.descriptionMax, 'Say what is blocking you');
  const severity = r.severity(BLOCK.impSeverity) ?? 'medium';
  return done(r.errors, { description, severity });
}

// --- private_metadata and button values ------------------------------------------------------

/** A link Slack gave us (`chat.getPermalink`): https, no spaces or mrkdwn control characters. */
export const PERMALINK = /^https:\/\/[^\s<>|`]+$/;

/** The raise modal's context. The listener still checks that the person may use `engagementId`. */
export const RaiseMetadata = z.strictObject({
  source: z.enum(['command', 'shortcut', 'modal', 'button']),
  permalink: z.string().max(1000).regex(PERMALINK).optional(),
  channelId: z.string().regex(CONVERSATION_ID).optional(),
});
export type RaiseMetadata = z.infer<typeof RaiseMetadata>;

/** The escalate, resolve and edit modals' context: which impediment. */
export const ImpedimentMetadata = z.strictObject({
  impedimentId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  /** The level the person saw when the escalate form opened (a stale form must not climb twice). */
  level: z.number().int().min(1).max(10).optional(),
});
export type ImpedimentMetadata = z.infer<typeof ImpedimentMetadata>;

export const encodeRaiseMetadata = (meta: RaiseMetadata): string => JSON.stringify(RaiseMetadata.parse(meta));
/** null when missing, too long, not JSON, or not exactly this shape. */
export const parseRaiseMetadata = (text: unknown): RaiseMetadata | null => parseJson(RaiseMetadata, text);
export const encodeImpedimentMetadata = (meta: ImpedimentMetadata): string => JSON.stringify(ImpedimentMetadata.parse(meta));
export const parseImpedimentMetadata = (text: unknown): ImpedimentMetadata | null => parseJson(ImpedimentMetadata, text);

/** A card or confirmation button's `value`: the impediment id in decimal, nothing else. */
export function parseImpedimentButton(value: unknown): { impedimentId: number } | null {
  const id = parseDecimalId(value);
  return id === null ? null : { impedimentId: id };
}
