/**
 * Kickoff input: the modal's `view.state.values`, its `private_metadata`, and the text of
 * `/kickoff`. Everything here is untrusted (payloads can be forged): nothing is assumed
 * about shape or size, and every problem is reported at once on the block it belongs to.
 */
import { z } from 'zod';
import { parseJson } from './json';
import {
  CHANNEL_NAME_RULES,
  ESCALATION_DEFAULTS,
  KEY_RULES,
  LIMITS,
  OUTCOME_FORMAT,
  deriveKey,
  isValidChannelName,
  isValidKey,
  parseOutcomeLine,
  parseResponseTime,
  resolveEscalation,
  type EscalationSlot,
} from '../../domain/kickoffRules';
import { LEVELS, ORIGINS, type EngagementDraft, type IsoDate, type Outcome } from '../../domain/types';
import { ACTION, BLOCK, CONFIRM_ASSOCIATES_OPTION, CREATE_CHANNEL_OPTION, ESCALATION_BLOCKS } from '../ids';

export const FIELD_MAX = 3000;
export const USER_ID = /^[UW][A-Z0-9]{1,30}$/;
export const CONVERSATION_ID = /^[CGD][A-Z0-9]{1,30}$/;

const UNREADABLE = 'This field could not be read; fill it in again';
const count = (n: number): string => n.toLocaleString('en-US');
/** Characters as people count them (code points), not UTF-16 units. */
const chars = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

// --- view.state.values ---------------------------------------------------------------------

const Root = z.record(z.string(), z.unknown());
const TextEl = z.object({ value: z.string().nullish() });
const UsersEl = z.object({ selected_users: z.array(z.string()).nullish() });
const UserEl = z.object({ selected_user: z.string().nullish() });
const OptionEl = z.object({ selected_option: z.object({ value: z.string() }).nullish() });
const OptionsEl = z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() });
const ConversationsEl = z.object({ selected_conversations: z.array(z.string()).nullish() });
const DateEl = z.object({ selected_date: z.string().nullish() });

type Read<T> = { ok: true; value: T } | { ok: false; message: string };

function stateReader(values: unknown) {
  const root = Root.safeParse(values);
  const element = (block: string): unknown => {
    if (!root.success || !Object.hasOwn(root.data, block)) return undefined;
    const b = Root.safeParse(root.data[block]);
    return b.success && Object.hasOwn(b.data, ACTION.value) ? b.data[ACTION.value] : undefined;
  };
  function read<S extends z.ZodType, T>(block: string, schema: S, pick: (d: z.infer<S>) => T | null | undefined): Read<T | null> {
    const el = element(block);
    if (el === undefined || el === null) return { ok: true, value: null };
    const parsed = schema.safeParse(el);
    return parsed.success ? { ok: true, value: pick(parsed.data) ?? null } : { ok: false, message: UNREADABLE };
  }
  const ids = (list: string[] | null, pattern: RegExp, what: string): Read<string[]> =>
    list === null ? { ok: true, value: [] } : list.every((id) => pattern.test(id)) ? { ok: true, value: [...new Set(list)] } : { ok: false, message: `Choose ${what} from the list` };
  return {
    text(block: string): Read<string> {
      const r = read(block, TextEl, (d) => d.value);
      if (!r.ok) return r;
      const v = r.value ?? '';
      if (chars(v) > FIELD_MAX) return { ok: false, message: `This field is ${count(chars(v))} characters; Slack allows ${count(FIELD_MAX)} — shorten it` };
      return { ok: true, value: v };
    },
    users(block: string): Read<string[]> {
      const r = read(block, UsersEl, (d) => d.selected_users);
      return r.ok ? ids(r.value, USER_ID, 'people') : r;
    },
    user(block: string): Read<string | null> {
      const r = read(block, UserEl, (d) => d.selected_user);
      return r.ok && r.value !== null && !USER_ID.test(r.value) ? { ok: false, message: 'Choose a person from the list' } : r;
    },
    option(block: string): Read<string | null> {
      return read(block, OptionEl, (d) => d.selected_option?.value);
    },
    options(block: string): Read<string[]> {
      const r = read(block, OptionsEl, (d) => d.selected_options?.map((o) => o.value));
      return r.ok ? { ok: true, value: r.value ?? [] } : r;
    },
    conversations(block: string): Read<string[]> {
      const r = read(block, ConversationsEl, (d) => d.selected_conversations);
      return r.ok ? ids(r.value, CONVERSATION_ID, 'channels') : r;
    },
    date(block: string): Read<IsoDate | null> {
      const r = read(block, DateEl, (d) => d.selected_date);
      return r.ok && r.value !== null && !isCalendarDate(r.value) ? { ok: false, message: 'Pick a date from the calendar' } : r;
    },
  };
}

export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

interface Line {
  n: number;
  text: string;
}

/** Non-blank lines, trimmed, with their 1-based line number in what was typed. */
export function splitLines(text: string): Line[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((raw, i) => ({ n: i + 1, text: raw.trim() }))
    .filter((l) => l.text !== '');
}

const lineWord = (ns: number[]): string => (ns.length === 1 ? `Line ${ns[0]}` : `Lines ${ns.slice(0, -1).join(', ')} and ${ns[ns.length - 1]}`);

/** Problems with a list of lines: none at all (when required), too many, too long. */
function lineProblems(lines: Line[], noun: string, max: number, required: string | null): string[] {
  const problems: string[] = [];
  if (lines.length === 0 && required !== null) problems.push(required);
  if (lines.length > max) problems.push(`You listed ${lines.length} ${noun}; keep it to ${max} or fewer`);
  const long = lines.filter((l) => chars(l.text) > LIMITS.lineMax);
  const shown = long.slice(0, 3).map((l) => `line ${l.n} is ${count(chars(l.text))} characters`);
  if (long.length > 3) shown.push(`${long.length - 3} more`);
  if (shown.length) {
    const s = shown.join(', ');
    problems.push(`${s[0]?.toUpperCase()}${s.slice(1)}; keep each line under ${count(LIMITS.lineMax)}`);
  }
  return problems;
}

export type KickoffSubmission = { ok: true; draft: EngagementDraft; keyWasDerived: boolean } | { ok: false; errors: Record<string, string> };

export interface SubmissionContext {
  submitterId: string;
  today: IsoDate;
}

/** Validates the kickoff modal and applies its defaults. The caller still checks key uniqueness. */
export function parseKickoffSubmission(values: unknown, ctx: SubmissionContext): KickoffSubmission {
  const s = stateReader(values);
  const errors: Record<string, string> = {};
  const fail = (block: string, message: string) => {
    errors[block] = (errors[block] ? `${errors[block]}. ${message}` : message).slice(0, 1000);
  };
  const get = <T>(block: string, r: Read<T>, fallbackValue: T): T => {
    if (r.ok) return r.value;
    fail(block, r.message);
    return fallbackValue;
  };

  const name = get(BLOCK.kickoffName, s.text(BLOCK.kickoffName), '').replace(/\s+/g, ' ').trim();
  if (name === '' && !errors[BLOCK.kickoffName]) fail(BLOCK.kickoffName, 'Give the engagement a name');
  if (chars(name) > LIMITS.nameMax) fail(BLOCK.kickoffName, `The name is ${count(chars(name))} characters; keep it to ${LIMITS.nameMax} or fewer`);

  const typedKey = get(BLOCK.kickoffKey, s.text(BLOCK.kickoffKey), '').trim().toLowerCase();
  const keyWasDerived = typedKey === '';
  const key = keyWasDerived ? deriveKey(name) : typedKey;
  if (!keyWasDerived && !isValidKey(key)) fail(BLOCK.kickoffKey, KEY_RULES);

  const level = get(BLOCK.kickoffLevel, s.option(BLOCK.kickoffLevel), null);
  const validLevel = LEVELS.find((l) => l === level);
  if (!validLevel && !errors[BLOCK.kickoffLevel]) fail(BLOCK.kickoffLevel, 'Choose a coaching level: team, program or organization');

  const origin = get(BLOCK.kickoffOrigin, s.option(BLOCK.kickoffOrigin), null);
  const validOrigin = ORIGINS.find((o) => o === origin);
  if (!validOrigin && !errors[BLOCK.kickoffOrigin]) fail(BLOCK.kickoffOrigin, 'Choose whether the team asked for coaching (pull) or it was assigned (push)');
  const requester = get(BLOCK.kickoffRequester, s.user(BLOCK.kickoffRequester), null);
  if (validOrigin === 'pull' && requester === null && !errors[BLOCK.kickoffRequester]) {
    fail(BLOCK.kickoffRequester, 'Say who asked for coaching, or choose Assigned');
  }

  const coachIds = get(BLOCK.kickoffCoaches, s.users(BLOCK.kickoffCoaches), []);
  if (coachIds.length === 0 && !errors[BLOCK.kickoffCoaches]) fail(BLOCK.kickoffCoaches, 'Name at least one coach');
  if (coachIds.length > LIMITS.coachesMax) fail(BLOCK.kickoffCoaches, `Name at most ${LIMITS.coachesMax} coaches`);

  const teamIds = get(BLOCK.kickoffTeam, s.users(BLOCK.kickoffTeam), []);
  if (teamIds.length > LIMITS.teamMax) fail(BLOCK.kickoffTeam, `Name at most ${LIMITS.teamMax} people; with more, create an engagement channel and the pulse asks its members`);

  const sponsorId = get(BLOCK.kickoffSponsor, s.user(BLOCK.kickoffSponsor), null) ?? ctx.submitterId;

  const painLines = splitLines(get(BLOCK.kickoffPainPoints, s.text(BLOCK.kickoffPainPoints), ''));
  const painRequired = errors[BLOCK.kickoffPainPoints] ? null : 'Write at least one pain point the coach will address, one per line';
  lineProblems(painLines, 'pain points', LIMITS.painPointsMax, painRequired).forEach((p) => fail(BLOCK.kickoffPainPoints, p));

  const outcomeLines = splitLines(get(BLOCK.kickoffOutcomes, s.text(BLOCK.kickoffOutcomes), ''));
  lineProblems(outcomeLines, 'outcomes', LIMITS.outcomesMax, null).forEach((p) => fail(BLOCK.kickoffOutcomes, p));
  const outcomes: Outcome[] = [];
  const unreadable: Line[] = [];
  for (const line of outcomeLines) {
    const parsed = parseOutcomeLine(line.text);
    if (parsed.ok) outcomes.push(parsed.outcome);
    else unreadable.push(line);
  }
  if (unreadable.length > 0) {
    const first = unreadable[0];
    const quote = unreadable.length === 1 && first ? ` (“${Array.from(first.text).slice(0, 40).join('')}”)` : '';
    fail(BLOCK.kickoffOutcomes, `${lineWord(unreadable.map((l) => l.n))}${quote} can't be read as a measure. ${OUTCOME_FORMAT}`);
  }

  const slots: EscalationSlot[] = ESCALATION_BLOCKS.map((ids, i) => {
    const defaults = ESCALATION_DEFAULTS[i] ?? { name: `Level ${i + 1}`, responseTime: 2 };
    const levelName = get(ids.name, s.text(ids.name), '').replace(/\s+/g, ' ').trim();
    if (chars(levelName) > LIMITS.levelNameMax) fail(ids.name, `Keep the level name to ${LIMITS.levelNameMax} characters or fewer`);
    const contactIds = get(ids.contacts, s.users(ids.contacts), []);
    if (contactIds.length > LIMITS.contactsMax) fail(ids.contacts, `Name at most ${LIMITS.contactsMax} contacts`);
    const typed = get(ids.response, s.text(ids.response), '').trim();
    const rt = typed === '' ? { ok: true as const, value: defaults.responseTime, unit: 'business_days' as const } : parseResponseTime(typed);
    if (!rt.ok) fail(ids.response, rt.message);
    return {
      name: levelName || defaults.name,
      contactIds,
      responseTime: rt.ok ? rt.value : defaults.responseTime,
      responseUnit: rt.ok ? rt.unit : 'business_days',
    };
  });

  const startDate = get(BLOCK.kickoffStartDate, s.date(BLOCK.kickoffStartDate), null);
  const reviewDate = get(BLOCK.kickoffReviewDate, s.date(BLOCK.kickoffReviewDate), null);
  if (startDate === null && !errors[BLOCK.kickoffStartDate]) fail(BLOCK.kickoffStartDate, 'Pick a start date');
  if (reviewDate === null && !errors[BLOCK.kickoffReviewDate]) fail(BLOCK.kickoffReviewDate, 'Pick a review date');
  for (const [block, date] of [[BLOCK.kickoffStartDate, startDate], [BLOCK.kickoffReviewDate, reviewDate]] as const) {
    if (date !== null && !withinYears(date, ctx.today, 10)) fail(block, 'Pick a date within ten years of today');
  }
  if (startDate !== null && reviewDate !== null && reviewDate <= startDate) {
    fail(BLOCK.kickoffReviewDate, `The review date must be after the start date (${startDate})`);
  }

  const channelIds = get(BLOCK.kickoffChannels, s.conversations(BLOCK.kickoffChannels), []);
  if (channelIds.length === 0 && !errors[BLOCK.kickoffChannels]) fail(BLOCK.kickoffChannels, 'Choose at least one channel for the announcement');
  if (channelIds.length > LIMITS.announcementChannelsMax) fail(BLOCK.kickoffChannels, `Choose at most ${LIMITS.announcementChannelsMax} channels`);

  const wantsChannel = get(BLOCK.kickoffCreateChannel, s.options(BLOCK.kickoffCreateChannel), []).includes(CREATE_CHANNEL_OPTION);
  const typedChannel = normalizeChannelName(get(BLOCK.kickoffChannelName, s.text(BLOCK.kickoffChannelName), ''));
  let engagementChannelName: string | null = null;
  if (wantsChannel) {
    engagementChannelName = typedChannel || `coaching-${key}`;
    if (!isValidChannelName(engagementChannelName)) fail(BLOCK.kickoffChannelName, CHANNEL_NAME_RULES);
  } else if (typedChannel !== '') {
    fail(BLOCK.kickoffCreateChannel, 'Tick this to create the channel, or clear the channel name');
  }

  if (Object.keys(errors).length > 0 || !validLevel || !validOrigin || startDate === null || reviewDate === null) {
    return { ok: false, errors };
  }
  const draft: EngagementDraft = {
    name,
    key,
    level: validLevel,
    origin: validOrigin,
    requestedBy: validOrigin === 'pull' ? requester : null,
    sponsorId,
    coachIds,
    teamIds,
    associatesConfirmed: get(BLOCK.kickoffConfirmAssociates, s.options(BLOCK.kickoffConfirmAssociates), []).includes(CONFIRM_ASSOCIATES_OPTION),
    painPoints: painLines.map((l) => l.text),
    outcomes,
    escalation: resolveEscalation(slots, coachIds, sponsorId),
    startDate,
    reviewDate,
    announcementChannelIds: channelIds,
    engagementChannelName,
  };
  return { ok: true, draft, keyWasDerived };
}

/** `#Coaching Payments` → `coaching-payments` (then checked against Slack's rules). */
export function normalizeChannelName(text: string): string {
  return text.trim().replace(/^#/, '').trim().toLowerCase().replace(/\s+/g, '-');
}

function withinYears(date: IsoDate, today: IsoDate, years: number): boolean {
  const y = Number(today.slice(0, 4));
  const rest = today.slice(4);
  return date >= `${y - years}${rest}` && date <= `${y + years}${rest}`;
}

/** The inline error for a key another engagement in the workspace already uses. */
export function duplicateKeyErrors(key: string): Record<string, string> {
  return { [BLOCK.kickoffKey]: `\`${key}\` is already used by another engagement; choose another key` };
}

// --- private_metadata -----------------------------------------------------------------------

const ChannelId = z.string().regex(CONVERSATION_ID).nullable();

/**
 * What the modal carries between open and submit. Slack returns it untouched, but a forged
 * payload can say anything: the listener still checks who may edit `engagementId`.
 */
export const KickoffMetadata = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('create'), channelId: ChannelId, requestId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() }),
  z.strictObject({ mode: z.literal('edit'), engagementId: z.number().int().positive(), channelId: ChannelId }),
]);
export type KickoffMetadata = z.infer<typeof KickoffMetadata>;

export function encodeKickoffMetadata(meta: KickoffMetadata): string {
  return JSON.stringify(KickoffMetadata.parse(meta));
}

/** null when missing, too long, not JSON, or not one of the two shapes. */
export function parseKickoffMetadata(text: unknown): KickoffMetadata | null {
  return parseJson(KickoffMetadata, text);
}

// --- /kickoff text ---------------------------------------------------------------------------

export type KickoffCommand =
  | { kind: 'open' }
  | { kind: 'help' }
  | { kind: 'edit'; key: string }
  | { kind: 'close'; key: string; note: string | null }
  | { kind: 'pulse'; key: string }
  | { kind: 'request' }
  | { kind: 'profile' }
  /** `channel`: an id (from a mention), a name to look up, or null for the channel it was typed in. */
  | { kind: 'requests-channel'; channel: { id: string } | { name: string } | null }
  | { kind: 'unknown'; text: string }
  | { kind: 'error'; message: string };

const EDIT_USAGE = 'Usage: /kickoff edit KEY';
const CLOSE_USAGE = 'Usage: /kickoff close KEY [note]';
const PULSE_USAGE = 'Usage: /kickoff pulse KEY';
const REQUESTS_CHANNEL_USAGE = 'Usage: /kickoff requests-channel #channel (or run /kickoff requests-channel in that channel)';
const BAD_KEY = 'Engagement keys look like `payments-platform`: lowercase letters, digits and dashes. `/kickoff help` explains more';

/**
 * Slack escapes `&`, `<`, `>` in command text and may encode mentions and links
 * (`<@U1|ana>`, `<#C1|general>`, `<https://x|label>`): back to what the person typed.
 */
export function decodeCommandText(text: string): string {
  return text
    .replace(/<([@#])[A-Z0-9]+\|([^>]*)>/g, '$1$2')
    .replace(/<(https?:[^|>]+)\|([^>]*)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function parseKickoffCommand(text: string): KickoffCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'open' };
  const m = /^(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(trimmed);
  const sub = m?.[1]?.toLowerCase();
  const key = m?.[2]?.toLowerCase();
  const rest = m?.[3]?.trim() ?? '';
  if (sub === 'help') return { kind: 'help' };
  if (sub === 'profile') return m?.[2] === undefined ? { kind: 'profile' } : { kind: 'error', message: 'Usage: /kickoff profile (it opens a form for your own profile)' };
  if (sub === 'request') return m?.[2] === undefined ? { kind: 'request' } : { kind: 'error', message: 'Usage: /kickoff request (it opens a form)' };
  if (sub === 'requests-channel') {
    const arg = (m?.[2] ?? '').trim();
    if (rest !== '') return { kind: 'error', message: REQUESTS_CHANNEL_USAGE };
    if (arg === '') return { kind: 'requests-channel', channel: null };
    const mention = /^<#([CG][A-Z0-9]{2,30})(?:\|[^>]*)?>$/.exec(arg);
    if (mention) return { kind: 'requests-channel', channel: { id: mention[1]! } };
    const name = arg.replace(/^#/, '').toLowerCase();
    return isValidChannelName(name) ? { kind: 'requests-channel', channel: { name } } : { kind: 'error', message: REQUESTS_CHANNEL_USAGE };
  }
  if (sub === 'pulse') {
    if (key === undefined || rest !== '') return { kind: 'error', message: PULSE_USAGE };
    return isValidKey(key) ? { kind: 'pulse', key } : { kind: 'error', message: BAD_KEY };
  }
  if (sub === 'edit' || sub === 'close') {
    const usage = sub === 'edit' ? EDIT_USAGE : CLOSE_USAGE;
    if (key === undefined || (sub === 'edit' && rest !== '')) return { kind: 'error', message: usage };
    if (!isValidKey(key)) return { kind: 'error', message: BAD_KEY };
    if (sub === 'edit') return { kind: 'edit', key };
    const note = decodeCommandText(rest).trim();
    if (chars(note) > LIMITS.closeNoteMax) {
      return { kind: 'error', message: `The closing note is ${count(chars(note))} characters; keep it to ${count(LIMITS.closeNoteMax)} or fewer` };
    }
    return { kind: 'close', key, note: note === '' ? null : note };
  }
  return { kind: 'unknown', text: decodeCommandText(trimmed) };
}
