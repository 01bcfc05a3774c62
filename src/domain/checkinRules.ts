/**
 * Check-in rules: who owes one, how outcome metrics moved between two check-ins, and how far
 * a value is along the way from baseline to target. Pure: no Slack, no SQL, no clock.
 *
 * Outcome positions are 0-based indexes into `Engagement.outcomes`, as the store keeps them.
 */
import type { Checkin } from './statusTypes';
import type { Engagement, Outcome, OutcomeMetric } from './types';

/** A check-in is owed (and "stale" in status) after this many calendar days without one. */
export const CHECKIN_STALE_DAYS = 7;
const DAY_MS = 86_400_000;

export interface OutcomeTrend {
  improving: number;
  worsening: number;
  flat: number;
}

/** The value `checkin` reported for the outcome at `position`, or null. */
export function reportedValue(checkin: Checkin | null, position: number): number | null {
  const v = checkin?.outcomeValues.find((x) => x.position === position)?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** +1 when `to` is better than `from` for this metric, −1 when worse, 0 when neither. */
export function movement(metric: OutcomeMetric, from: number, to: number): -1 | 0 | 1 {
  if (from === to) return 0;
  const direction = Math.sign(metric.target - metric.baseline);
  // A "hold the line" metric (target = baseline): closer to the target is better.
  const gain = direction === 0 ? Math.abs(from - metric.target) - Math.abs(to - metric.target) : (to - from) * direction;
  return gain > 0 ? 1 : gain < 0 ? -1 : 0;
}

/**
 * How the measured outcomes moved from `prev` to `latest`. Only outcomes with a metric and a
 * value in `latest` count; the starting point is `prev`'s value for that outcome, or the
 * baseline when `prev` is null or did not report it. Nothing counts without `latest`.
 */
export function outcomeTrend(prev: Checkin | null, latest: Checkin | null, outcomes: readonly Outcome[]): OutcomeTrend {
  const trend: OutcomeTrend = { improving: 0, worsening: 0, flat: 0 };
  if (latest === null) return trend;
  outcomes.forEach((o, position) => {
    if (o.metric === null) return;
    const to = reportedValue(latest, position);
    if (to === null) return;
    const from = reportedValue(prev, position) ?? o.metric.baseline;
    const m = movement(o.metric, from, to);
    if (m > 0) trend.improving += 1;
    else if (m < 0) trend.worsening += 1;
    else trend.flat += 1;
  });
  return trend;
}

/**
 * Share of the way from baseline to target, in percent (0 at baseline, 100 at target; below 0
 * when it went the wrong way, above 100 past the target). Null when baseline = target.
 */
export function progressPercent(metric: OutcomeMetric, value: number): number | null {
  const span = metric.target - metric.baseline;
  if (span === 0 || !Number.isFinite(value)) return null;
  return Math.round(((value - metric.baseline) / span) * 100) || 0; // never -0
}

export const mayCheckIn = (e: Engagement, userId: string): boolean => e.sponsorId === userId || e.coachIds.includes(userId);

/** Since when a check-in has been missing: the latest one, or the engagement's creation when there is none. */
export const checkinClockStart = (e: Engagement, latest: Date | null): Date => latest ?? e.createdAt;

/** Whole calendar days since `checkinClockStart` (0 when in the future). */
export function daysWithoutCheckin(e: Engagement, latest: Date | null, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - checkinClockStart(e, latest).getTime()) / DAY_MS));
}

/**
 * Active engagements where `userId` is the sponsor or a coach and nobody checked in for
 * `CHECKIN_STALE_DAYS` (counted from creation when there was never one), longest-waiting first.
 * An engagement missing from `latestByEngagement` counts as never checked in.
 */
export function checkinsOwed(
  engagements: readonly Engagement[],
  latestByEngagement: ReadonlyMap<number, Date | null>,
  userId: string,
  now: Date,
): Engagement[] {
  const owed = engagements
    .filter((e) => e.lifecycle === 'active' && mayCheckIn(e, userId))
    .map((e) => ({ e, since: checkinClockStart(e, latestByEngagement.get(e.id) ?? null) }))
    .filter(({ since }) => now.getTime() - since.getTime() >= CHECKIN_STALE_DAYS * DAY_MS);
  owed.sort((a, b) => a.since.getTime() - b.since.getTime() || a.e.id - b.e.id);
  return owed.map(({ e }) => e);
}
