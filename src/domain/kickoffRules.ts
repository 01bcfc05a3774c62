/**
 * Kickoff rules: keys, outcome and response-time parsing, escalation defaults and the
 * "what changed" summary of an edit. Pure functions: no Slack calls, no SQL, no clock.
 */
import type {
  CoachingLevel,
  Engagement,
  EngagementDraft,
  EscalationLevel,
  Origin,
  Outcome,
  OutcomeMetric,
  ResponseUnit,
} from './types';

export const LIMITS = {
  nameMax: 120,
  keyMax: 40,
  /** One pain point or outcome line. */
  lineMax: 1000,
  painPointsMax: 20,
  outcomesMax: 20,
  levelNameMax: 40,
  closeNoteMax: 2000,
  channelNameMax: 80,
  /** Not in the brief; they keep forged payloads from ballooning messages. */
  coachesMax: 20,
  contactsMax: 20,
  announcementChannelsMax: 20,
  /** The Team field (who a pulse asks without an engagement channel): Slack's multi-select allows 100. */
  teamMax: 100,
  unitMax: 30,
  escalationLevelsMax: 3,
  responseDaysMax: 30,
  responseHoursMax: 200,
} as const;

export const KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
export const KEY_RULES = 'Use 2–40 lowercase letters, digits and dashes, starting with a letter or digit, e.g. `payments-platform`';
export const isValidKey = (key: string): boolean => KEY_PATTERN.test(key);

/** Slack's rules for conversations.create names. */
export const CHANNEL_NAME_PATTERN = /^[a-z0-9_-]{1,80}$/;
export const CHANNEL_NAME_RULES = 'Channel names use only lowercase letters, digits, dashes (-) and underscores (_), up to 80 characters';
export const isValidChannelName = (name: string): boolean => CHANNEL_NAME_PATTERN.test(name);

export const OUTCOME_FORMAT = 'Write it as `metric: baseline -> target unit`, e.g. `Lead time: 12 -> 5 days`';

export const LEVEL_LABELS: Record<CoachingLevel, string> = { team: 'Team', program: 'Program', organization: 'Organization' };
export const ORIGIN_LABELS: Record<Origin, string> = { pull: 'Requested by the team (pull)', push: 'Assigned (push)' };

/** Slug for a key: lowercase ASCII, accents stripped, `engagement` when nothing usable is left. */
export function deriveKey(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, LIMITS.keyMax)
    .replace(/-+$/, '');
  if (slug.length === 0) return 'engagement';
  // KEY_PATTERN needs two characters; a one-letter name still gets a valid key.
  return slug.length === 1 ? `${slug}-engagement` : slug;
}

/** `base`, else `base-2`, `base-3`, … (shortened so the result stays ≤ 40 characters). */
export async function nextFreeKey(base: string, taken: (key: string) => boolean | Promise<boolean>): Promise<string> {
  if (!(await taken(base))) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, LIMITS.keyMax - suffix.length).replace(/-+$/, '') + suffix;
    if (!(await taken(candidate))) return candidate;
  }
}

export type OutcomeParse = { ok: true; outcome: Outcome } | { ok: false; message: string };

const ARROW = /->|→|=>/;
const NUM = '[-−]?\\d+(?:\\.\\d+)?';
const METRIC_LINE = new RegExp(`^(.+):\\s*(${NUM})\\s*(\\D.*?)?\\s*(?:->|→|=>)\\s*(${NUM})\\s*(.*)$`, 'u');

const toNumber = (s: string): number => Number(s.replace('−', '-'));

/** A plain outcome, or `metric: baseline -> target unit` (also `→`, `=>`). */
export function parseOutcomeLine(line: string): OutcomeParse {
  const text = line.trim();
  if (text === '') return { ok: false, message: 'Write the outcome, or remove the empty line' };
  if (!ARROW.test(text)) return { ok: true, outcome: { text, metric: null } };
  const fail = { ok: false, message: OUTCOME_FORMAT } as const;
  const m = METRIC_LINE.exec(text);
  if (!m) return fail;
  const [, rawLabel = '', rawBase = '', rawBaseUnit = '', rawTarget = '', rawUnit = ''] = m;
  const label = rawLabel.trim();
  const baseUnit = rawBaseUnit.trim();
  const unit = rawUnit.trim();
  const baseline = toNumber(rawBase);
  const target = toNumber(rawTarget);
  if (label === '' || !Number.isFinite(baseline) || !Number.isFinite(target)) return fail;
  if (ARROW.test(baseUnit) || ARROW.test(unit) || unit.includes(':')) return fail;
  if (baseUnit !== '' && unit !== '' && baseUnit.toLowerCase() !== unit.toLowerCase()) return fail;
  const finalUnit = unit || baseUnit;
  if (finalUnit.length > LIMITS.unitMax) return fail;
  const metric: OutcomeMetric = { baseline, target, current: null, unit: finalUnit };
  return { ok: true, outcome: { text: label, metric } };
}

/** Plain text (escape before mrkdwn): `12 → 5 days`, `30% → 10%`; with current: `12 → 8 → 5 days` (`—` when none). */
export function formatMetric(metric: OutcomeMetric, withCurrent = false): string {
  const pct = metric.unit === '%';
  const num = (n: number | null) => (n === null ? '—' : pct ? `${n}%` : String(n));
  const values = withCurrent ? [metric.baseline, metric.current, metric.target] : [metric.baseline, metric.target];
  const tail = pct || metric.unit === '' ? '' : ` ${metric.unit}`;
  return values.map(num).join(' → ') + tail;
}

/** The line as a sponsor would type it into the modal: `Lead time: 12 -> 5 days`. */
export function outcomeToLine(o: Outcome): string {
  if (!o.metric) return o.text;
  const pct = o.metric.unit === '%' ? '%' : '';
  const tail = pct || o.metric.unit === '' ? '' : ` ${o.metric.unit}`;
  return `${o.text}: ${o.metric.baseline}${pct} -> ${o.metric.target}${pct}${tail}`;
}

/** Reached when current is at or beyond target in the baseline → target direction; null without a value. */
export function outcomeReached(metric: OutcomeMetric): boolean | null {
  if (metric.current === null) return null;
  if (metric.target > metric.baseline) return metric.current >= metric.target;
  if (metric.target < metric.baseline) return metric.current <= metric.target;
  return metric.current === metric.target;
}

export type ResponseTimeParse = { ok: true; value: number; unit: ResponseUnit } | { ok: false; message: string };

const RESPONSE_TIME = /^(\d{1,6})\s*(d|days?|business\s+days?|working\s+days?|h|hrs?|hours?|business\s+hours?|working\s+hours?)?$/i;

/** `2`, `2d`, `2 days`, `2 business days` → days; `4h`, `4 hours` → hours. */
export function parseResponseTime(text: string): ResponseTimeParse {
  const m = RESPONSE_TIME.exec(text.trim());
  if (!m) return { ok: false, message: 'Write a number of business days (e.g. 2) or hours (e.g. 4h)' };
  const value = Number(m[1]);
  const unit: ResponseUnit = m[2] !== undefined && /^h|hour/i.test(m[2]) ? 'business_hours' : 'business_days';
  const max = unit === 'business_days' ? LIMITS.responseDaysMax : LIMITS.responseHoursMax;
  if (value < 1 || value > max) {
    return { ok: false, message: `Keep it between 1 and ${max} ${unit === 'business_days' ? 'business days' : 'business hours'}` };
  }
  return { ok: true, value, unit };
}

export function formatResponseTime(value: number, unit: ResponseUnit): string {
  const word = unit === 'business_days' ? 'business day' : 'business hour';
  return `${value} ${word}${value === 1 ? '' : 's'}`;
}

/** What one escalation slot of the modal says before defaults apply. */
export interface EscalationSlot {
  name: string;
  contactIds: string[];
  responseTime: number;
  responseUnit: ResponseUnit;
}

/** The three slots: team (defaults to the coaches), program (optional), executive (defaults to the sponsor). */
export const ESCALATION_DEFAULTS = [
  { name: 'Team', responseTime: 2 },
  { name: 'Program', responseTime: 3 },
  { name: 'Executive', responseTime: 5 },
] as const;

const unique = (ids: readonly string[]): string[] => [...new Set(ids)];

/** Applies the defaults to the slots: first ← coaches, last ← sponsor, empty middle slots omitted; renumbered 1..n. */
export function resolveEscalation(slots: readonly EscalationSlot[], coachIds: readonly string[], sponsorId: string): EscalationLevel[] {
  const levels: EscalationLevel[] = [];
  slots.forEach((slot, i) => {
    const isFirst = i === 0;
    const isLast = i === slots.length - 1;
    let contactIds = unique(slot.contactIds);
    if (contactIds.length === 0 && isFirst) contactIds = unique(coachIds);
    else if (contactIds.length === 0 && isLast) contactIds = [sponsorId];
    if (contactIds.length === 0) return;
    const name = slot.name.trim() || ESCALATION_DEFAULTS[i]?.name || `Level ${i + 1}`;
    levels.push({ level: levels.length + 1, name, contactIds, responseTime: slot.responseTime, responseUnit: slot.responseUnit });
  });
  return levels;
}

export function defaultEscalation(coachIds: readonly string[], sponsorId: string, programContactIds: readonly string[] = []): EscalationLevel[] {
  const slots = ESCALATION_DEFAULTS.map((d, i): EscalationSlot => ({
    name: d.name,
    contactIds: i === 1 ? [...programContactIds] : [],
    responseTime: d.responseTime,
    responseUnit: 'business_days',
  }));
  return resolveEscalation(slots, coachIds, sponsorId);
}

// --- what changed -------------------------------------------------------------------------

/** Local copy of Slack's three escapes: diff lines are mrkdwn, and domain code must not import views. */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const user = (id: string) => `<@${id}>`;
const channel = (id: string) => `<#${id}>`;

export function joinAnd(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

function idDelta(before: readonly string[], after: readonly string[], show: (id: string) => string): string | null {
  const added = after.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !after.includes(id));
  const parts = [added.length ? `added ${joinAnd(added.map(show))}` : '', removed.length ? `removed ${joinAnd(removed.map(show))}` : ''];
  const text = parts.filter(Boolean).join(', ');
  return text || null;
}

function countDelta(label: string, before: readonly string[], after: readonly string[]): string | null {
  const pool = new Map<string, number>();
  for (const b of before) pool.set(b, (pool.get(b) ?? 0) + 1);
  let added = 0;
  for (const a of after) {
    const n = pool.get(a) ?? 0;
    if (n > 0) pool.set(a, n - 1);
    else added++;
  }
  const removed = [...pool.values()].reduce((s, n) => s + n, 0);
  if (added === 0 && removed === 0) {
    return before.every((b, i) => b === after[i]) ? null : `${label} reordered`;
  }
  const parts = [added ? `${added} added` : '', removed ? `${removed} removed` : ''].filter(Boolean);
  return `${label}: ${parts.join(', ')}`;
}

const outcomeId = (o: Outcome): string => JSON.stringify([o.text, o.metric?.baseline, o.metric?.target, o.metric?.unit]);

function escalationDiff(before: readonly EscalationLevel[], after: readonly EscalationLevel[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const b = before[i];
    const a = after[i];
    if (a && !b) lines.push(`Escalation level ${a.level} (${esc(a.name)}) added`);
    if (b && !a) lines.push(`Escalation level ${b.level} (${esc(b.name)}) removed`);
    if (!a || !b) continue;
    const changes: string[] = [];
    if (a.name !== b.name) changes.push(`renamed to “${esc(a.name)}”`);
    const contacts = idDelta(b.contactIds, a.contactIds, user);
    if (contacts) changes.push(`contacts ${contacts}`);
    const [bt, at] = [formatResponseTime(b.responseTime, b.responseUnit), formatResponseTime(a.responseTime, a.responseUnit)];
    if (bt !== at) changes.push(`response time ${bt} → ${at}`);
    if (changes.length) lines.push(`Escalation level ${a.level} (${esc(b.name)}): ${changes.join('; ')}`);
  }
  return lines;
}

/**
 * Short mrkdwn lines for the "what changed" thread reply; user text is escaped, people and
 * channels are mentions. Empty when nothing visible changed.
 */
export function diffEngagement(before: Engagement, after: EngagementDraft): string[] {
  const lines: (string | null)[] = [];
  if (before.name !== after.name) lines.push(`Name changed to “${esc(after.name)}”`);
  if (before.key !== after.key) lines.push(`Key changed from \`${before.key}\` to \`${after.key}\``);
  if (before.level !== after.level) lines.push(`Level changed from ${LEVEL_LABELS[before.level]} to ${LEVEL_LABELS[after.level]}`);
  if (before.origin !== after.origin) {
    const by = after.origin === 'pull' && after.requestedBy ? `, asked for by ${user(after.requestedBy)}` : '';
    lines.push(`Origin changed to ${ORIGIN_LABELS[after.origin].toLowerCase()}${by}`);
  } else if (after.origin === 'pull' && before.requestedBy !== after.requestedBy && after.requestedBy) {
    lines.push(`Requested by changed to ${user(after.requestedBy)}`);
  }
  if (before.sponsorId !== after.sponsorId) lines.push(`Sponsor changed from ${user(before.sponsorId)} to ${user(after.sponsorId)}`);
  const coaches = idDelta(before.coachIds, after.coachIds, user);
  if (coaches) lines.push(`Coaches: ${coaches}`);
  lines.push(countDelta('Pain points', before.painPoints, after.painPoints));
  lines.push(countDelta('Outcomes', before.outcomes.map(outcomeId), after.outcomes.map(outcomeId)));
  lines.push(...escalationDiff(before.escalation, after.escalation));
  if (before.startDate !== after.startDate) lines.push(`Start date moved from ${before.startDate} to ${after.startDate}`);
  if (before.reviewDate !== after.reviewDate) lines.push(`Review date moved from ${before.reviewDate} to ${after.reviewDate}`);
  const channels = idDelta(before.announcementChannelIds, after.announcementChannelIds, channel);
  if (channels) lines.push(`Announcement channels: ${channels}`);
  const [bc, ac] = [before.engagementChannelName, after.engagementChannelName];
  if (bc !== ac) {
    if (ac === null) lines.push('Engagement channel no longer requested');
    else lines.push(bc === null ? `Engagement channel #${esc(ac)} requested` : `Engagement channel name changed to #${esc(ac)}`);
  }
  return lines.filter((l): l is string => l !== null);
}
