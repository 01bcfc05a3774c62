/**
 * Status rollup for `/status`: computed health, the engagement view model, portfolio order and
 * the push/pull share. Pure: "now" and the workspace time zone are passed in; no Slack, no SQL.
 * Text here is plain words (user text included as typed): views escape it before mrkdwn.
 *
 * Computed health, from the signals the coach's own RAG may miss:
 * - red when any of:
 *   · an unanswered escalation more than 5 business days past its due time;
 *   · 2 or more unanswered escalations (open, past their due time);
 *   · a critical impediment open (or acknowledged, unresolved) for more than 3 business days;
 *   · at least 2 measured outcomes move away from their target, and they are at least half
 *     of the measured ones.
 * - amber when any of:
 *   · one unanswered escalation;
 *   · a missed commitment: an escalation never answered or answered late (the last 30 days
 *     when the store gives `recentScorecard`, else the all-time scorecard);
 *   · a high or critical impediment open for more than 5 business days;
 *   · a measured outcome moving away from its target;
 *   · an active engagement with no check-in for more than 7 days (counted from kickoff when
 *     there has been none).
 * - green otherwise.
 * "Moving away": the current value is further from the target than the previous check-in's
 * value (or the baseline when no earlier check-in reported one). Business days skip weekends
 * in the workspace time zone; check-in age is calendar days.
 */
import { businessDaysBetween, formatAge, localDate } from './businessTime';
import { impedimentRef, type Impediment, type ScorecardRow, type Severity } from './impedimentTypes';
import type { EventRecord } from './ports';
import { pulseHealthReason } from './pulseRules';
import type {
  ComputedHealth,
  EngagementStatusData,
  EngagementStatusModel,
  EscalatedItem,
  EventLine,
  PortfolioRow,
  PushPullShare,
  QuarterShare,
  Trend,
} from './statusTypes';
import type { Engagement, Health, Origin, Outcome } from './types';

export type { EngagementStatusModel, EscalatedItem, EventLine, OutcomeStatus, PushPullShare, QuarterShare, Trend } from './statusTypes';

export const HEALTH_RULES = {
  staleCheckinDays: 7,
  redUnansweredCount: 2,
  redOverdueBusinessDays: 5,
  redCriticalBusinessDays: 3,
  amberHighBusinessDays: 5,
} as const;

const DAY_MS = 86_400_000;
const plural = (n: number, word: string, words = `${word}s`): string => `${n} ${n === 1 ? word : words}`;
const isOpen = (i: Impediment): boolean => i.state === 'open' || i.state === 'acknowledged';

/** Stale: no check-in at all, or the last one more than 7 calendar days before `now`. */
export function isCheckinStale(lastCheckinAt: Date | null, now: Date): boolean {
  return lastCheckinAt === null || now.getTime() - lastCheckinAt.getTime() > HEALTH_RULES.staleCheckinDays * DAY_MS;
}

/** Per outcome (by position): the trend of its metric, or null without a metric or current value. */
export function outcomeTrends(data: Pick<EngagementStatusData, 'engagement' | 'previousCheckin'>): (Trend | null)[] {
  return data.engagement.outcomes.map((o, position) => {
    const m = o.metric;
    if (!m || m.current === null) return null;
    const reference = data.previousCheckin?.outcomeValues.find((v) => v.position === position)?.value ?? m.baseline;
    const before = Math.abs(reference - m.target);
    const after = Math.abs(m.current - m.target);
    return after > before ? 'away' : after < before ? 'toward' : 'flat';
  });
}

/** `2 escalations unanswered for up to 6 business days` (days past due; `up to` when they differ). */
function ageWords(n: number, what: string, days: number[], verb: string): string {
  const max = Math.max(...days);
  if (max === 0) return `${plural(n, what)} ${verb} for less than a business day`;
  return `${plural(n, what)} ${verb} for ${new Set(days).size > 1 ? 'up to ' : ''}${plural(max, 'business day')}`;
}

export function computeHealth(data: EngagementStatusData, now: Date, tz: string): ComputedHealth {
  const red: string[] = [];
  const amber: string[] = [];

  const unanswered = data.unansweredEscalations.filter((i) => i.state === 'open' && i.dueAt !== null && i.dueAt.getTime() <= now.getTime());
  if (unanswered.length > 0) {
    const days = unanswered.map((i) => businessDaysBetween(i.dueAt ?? now, now, tz));
    // The list is capped by the query; the total counts them all.
    const count = Math.max(unanswered.length, data.unansweredTotal ?? 0);
    const words = Math.max(...days) === 0 && count === 1
      ? '1 escalation unanswered past its due time'
      : ageWords(count, 'escalation', days, 'unanswered');
    const isRed = count >= HEALTH_RULES.redUnansweredCount || days.some((d) => d > HEALTH_RULES.redOverdueBusinessDays);
    (isRed ? red : amber).push(words);
  }

  const open = data.openImpediments.filter(isOpen).map((i) => ({ i, days: businessDaysBetween(i.createdAt, now, tz) }));
  const critical = open.filter((x) => x.i.severity === 'critical' && x.days > HEALTH_RULES.redCriticalBusinessDays);
  if (critical.length > 0) red.push(ageWords(critical.length, 'critical impediment', critical.map((x) => x.days), 'open'));
  const high = open.filter((x) => x.i.severity === 'high' && x.days > HEALTH_RULES.amberHighBusinessDays);
  if (high.length > 0) amber.push(ageWords(high.length, 'high-severity impediment', high.map((x) => x.days), 'open'));

  const rows: ScorecardRow[] = data.recentScorecard ?? data.scorecard;
  const never = rows.reduce((s, r) => s + r.never, 0);
  const late = rows.reduce((s, r) => s + r.late, 0);
  if (never > 0 && late > 0) amber.push(`${plural(never, 'escalation')} never answered and ${late} answered late`);
  else if (never > 0) amber.push(`${plural(never, 'escalation')} never answered`);
  else if (late > 0) amber.push(`${plural(late, 'escalation')} answered late`);

  const trends = outcomeTrends(data).filter((t): t is Trend => t !== null);
  const away = trends.filter((t) => t === 'away').length;
  if (away > 0) {
    const words = `${away} of ${plural(trends.length, 'measured outcome')} moving away from target`;
    (away >= 2 && away * 2 >= trends.length ? red : amber).push(words);
  }

  const e = data.engagement;
  const last = data.latestCheckin?.createdAt ?? null;
  if (e.lifecycle === 'active' && isCheckinStale(last ?? e.createdAt, now)) {
    const days = Math.floor((now.getTime() - (last ?? e.createdAt).getTime()) / DAY_MS);
    amber.push(last ? `no check-in for ${plural(days, 'day')}` : `no check-in since kickoff ${plural(days, 'day')} ago`);
  }

  const pulse = pulseHealthReason(data.pulse?.latest?.results ?? null);
  if (pulse) amber.push(pulse);

  const health: Health = red.length > 0 ? 'red' : amber.length > 0 ? 'amber' : 'green';
  return { health, reasons: [...red, ...amber] };
}

/** `coach says green; 2 escalations unanswered for 6 business days`; null when they agree or without a check-in. */
export function healthDisagreement(coach: Health | null, computed: ComputedHealth): string | null {
  if (coach === null || coach === computed.health) return null;
  const why = computed.reasons.length > 0 ? computed.reasons.join('; ') : 'no overdue escalations, ageing impediments, missed commitments or falling outcomes';
  return `coach says ${coach}; ${why}`;
}

// --- the engagement view model ----------------------------------------------------------------

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
function daysFrom(from: string, to: string): number | null {
  const n = dayNumber(to) - dayNumber(from);
  return Number.isFinite(n) ? Math.round(n) : null;
}

/** How far from baseline to target the current value is, 0–100; null without a metric or current value. */
export function outcomeProgress(metric: Outcome['metric']): number | null {
  if (!metric || metric.current === null) return null;
  const span = metric.target - metric.baseline;
  if (span === 0) return metric.current === metric.target ? 100 : 0;
  return Math.min(100, Math.max(0, Math.round(((metric.current - metric.baseline) / span) * 100)));
}

/** An anonymous impediment's age in hours would tell when it was raised: under a day it is "less than a day". */
function safeAge(imp: Impediment, now: Date): string {
  const age = formatAge(imp.createdAt, now);
  return imp.anonymous && now.getTime() - imp.createdAt.getTime() < DAY_MS ? 'less than a day' : age;
}

const levelName = (e: Engagement, level: number): string => e.escalation.find((l) => l.level === level)?.name ?? `level ${level}`;

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** [with an actor, without one] for an event; `imp` is `IMP-12` or `an impediment`. */
function eventWords(ev: EventRecord, e: Engagement, imp: string): [string, string] {
  const d = ev.data;
  const to = typeof d.to === 'number' ? levelName(e, d.to) : 'the next level';
  const at = typeof d.level === 'number' ? ` at ${levelName(e, d.level)}` : '';
  const health = typeof d.health === 'string' && /^(green|amber|red)$/.test(d.health) ? ` (${d.health})` : '';
  const words: Record<string, [string, string]> = {
    kicked_off: ['kicked off the engagement', 'The engagement was kicked off'],
    edited: ['edited the engagement', 'The engagement was edited'],
    closed: ['closed the engagement', 'The engagement was closed'],
    impediment_acknowledged: [`acknowledged ${imp}${at}`, `${cap(imp)} was acknowledged${at}`],
    impediment_owned: [`took ownership of ${imp}`, `${cap(imp)} got an owner`],
    impediment_escalated: [`escalated ${imp} to ${to}`, `${cap(imp)} was escalated automatically to ${to} (no response in time)`],
    impediment_resolved:
      d.resolution === 'wont_fix' ? [`closed ${imp} as won’t fix`, `${cap(imp)} was closed as won’t fix`] : [`resolved ${imp}`, `${cap(imp)} was resolved`],
    impediment_edited: [`edited ${imp}`, `${cap(imp)} was edited`],
    impediment_anonymous_reply: ['', `The reporter of ${imp} replied anonymously`],
    checkin_posted: [`posted a check-in${health}`, `A check-in was posted${health}`],
    auto_escalation_on: ['turned automatic escalation on', 'Automatic escalation was turned on'],
    auto_escalation_off: ['turned automatic escalation off', 'Automatic escalation was turned off'],
  };
  const known = Object.hasOwn(words, ev.type) ? words[ev.type] : undefined;
  if (known) return known;
  const other = ev.type.replace(/[^a-z0-9]+/gi, ' ').trim().slice(0, 60) || 'something changed';
  return [other, cap(other)];
}

/** Human lines for events; an anonymous report never names anyone, whatever the row carries. */
export function eventLine(ev: EventRecord, e: Engagement): EventLine {
  const d = ev.data;
  const imp = typeof d.number === 'number' && Number.isSafeInteger(d.number) ? impedimentRef(d.number) : 'an impediment';
  if (ev.type === 'impediment_raised') {
    const sev = typeof d.severity === 'string' && /^(low|medium|high|critical)$/.test(d.severity) ? ` (${d.severity})` : '';
    if (d.anonymous === true || ev.actorId === null) {
      return { at: ev.createdAt, actorId: null, text: `${cap(imp)} was raised anonymously${sev}`, anonymous: true };
    }
    return { at: ev.createdAt, actorId: ev.actorId, text: `raised ${imp}${sev}`, anonymous: false };
  }
  const [withActor, alone] = eventWords(ev, e, imp);
  const anonymous = ev.type === 'impediment_anonymous_reply';
  const actorId = anonymous || withActor === '' ? null : ev.actorId;
  return { at: ev.createdAt, actorId, text: actorId ? withActor : alone, anonymous };
}

export function engagementStatusModel(data: EngagementStatusData, now: Date, tz: string): EngagementStatusModel {
  const e = data.engagement;
  const today = localDate(now, tz);
  const computed = computeHealth(data, now, tz);
  const latest = data.latestCheckin;
  const trends = outcomeTrends(data);
  const open = data.openImpediments.filter(isOpen);
  const oldest = open.reduce<Impediment | null>((a, i) => (a === null || i.createdAt < a.createdAt ? i : a), null);
  const escalated = data.escalated
    .filter(isOpen)
    .map((i): EscalatedItem => ({
      ref: impedimentRef(i.number),
      severity: i.severity,
      level: i.level,
      levelName: levelName(e, i.level),
      description: i.description,
      dueAt: i.dueAt,
      overdue: i.state === 'open' && i.dueAt !== null && i.dueAt.getTime() <= now.getTime(),
      anonymous: i.anonymous,
      waitingOnExecutives: i.waitingOnExecutives,
    }))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || b.level - a.level || (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity));
  const events = [...data.recentEvents]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
    .slice(0, 5)
    .map((ev) => eventLine(ev, e));
  return {
    engagement: e,
    daysSinceKickoff: daysFrom(e.startDate, today),
    daysToReview: daysFrom(today, e.reviewDate),
    checkin: {
      // Counted from kickoff while there has been no check-in yet.
      stale: isCheckinStale(latest?.createdAt ?? e.createdAt, now),
      latest: latest ? { health: latest.health, authorId: latest.authorId, at: latest.createdAt, age: formatAge(latest.createdAt, now), summary: latest.summary } : null,
    },
    computed,
    disagreement: healthDisagreement(latest?.health ?? null, computed),
    outcomes: e.outcomes.map((o, i) => ({ text: o.text, metric: o.metric, progress: outcomeProgress(o.metric), trend: trends[i] ?? null })),
    openBySeverity: { ...data.openBySeverity },
    openTotal: Object.values(data.openBySeverity).reduce((s, n) => s + n, 0),
    oldestOpen: oldest ? { ref: impedimentRef(oldest.number), age: safeAge(oldest, now) } : null,
    escalated,
    escalatedTotal: Math.max(data.escalatedTotal ?? 0, escalated.length),
    scorecard: data.scorecard,
    events,
    pulse: data.pulse ?? null,
  };
}

// --- portfolio ---------------------------------------------------------------------------------

/** 0 red · 1 overdue escalations · 2 amber · 3 stale check-in · 4 the rest. */
function attentionRank(row: PortfolioRow, now: Date): number {
  if (row.health === 'red') return 0;
  if (row.overdueImpediments > 0) return 1;
  if (row.health === 'amber') return 2;
  if (row.lifecycle === 'active' && isCheckinStale(row.lastCheckinAt ?? row.createdAt, now)) return 3;
  return 4;
}

/** What needs attention first; by key within each group. Returns a new array. */
export function sortPortfolio(rows: readonly PortfolioRow[], now: Date): PortfolioRow[] {
  return rows
    .map((row) => ({ row, rank: attentionRank(row, now) }))
    .sort((a, b) => a.rank - b.rank || (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : a.row.id - b.row.id))
    .map((x) => x.row);
}

/** Short flags for a portfolio line: `2 overdue`, `no check-in`, `check-in stale`, `paused`. */
export function rowAttention(row: PortfolioRow, now: Date): string[] {
  const flags: string[] = [];
  if (row.overdueImpediments > 0) flags.push(`${row.overdueImpediments} overdue`);
  if (row.lifecycle === 'active' && isCheckinStale(row.lastCheckinAt ?? row.createdAt, now)) flags.push(row.lastCheckinAt ? 'check-in stale' : 'no check-in');
  if (row.lifecycle !== 'active') flags.push(row.lifecycle);
  return flags;
}

/** Quarter index (year × 4 + quarter − 1) of the local date of `d` in `tz`. */
function quarterIndex(d: Date, tz: string): number {
  const [y, m] = localDate(d, tz).split('-').map(Number);
  return (y ?? 1970) * 4 + Math.floor(((m ?? 1) - 1) / 3);
}

/** Pull against push among engagements by the quarter of their kickoff (`createdAt`), in `tz`. */
export function pushPullShare(rows: readonly { origin: Origin; createdAt: Date }[], now: Date, tz: string): PushPullShare {
  const current = quarterIndex(now, tz);
  const share = (index: number): QuarterShare => {
    const inQuarter = rows.filter((r) => quarterIndex(r.createdAt, tz) === index);
    const pull = inQuarter.filter((r) => r.origin === 'pull').length;
    const push = inQuarter.length - pull;
    return { label: `Q${(index % 4) + 1} ${Math.floor(index / 4)}`, pull, push, pullShare: inQuarter.length ? Math.round((pull / inQuarter.length) * 100) : null };
  };
  return { thisQuarter: share(current), lastQuarter: share(current - 1) };
}
