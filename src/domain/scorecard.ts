/**
 * The escalation scorecard: per level of an engagement's escalation line, how many
 * escalations were acknowledged in time, late, or never, and the median time to acknowledge.
 * Pure: the caller passes the clocks of one engagement and "now".
 */
import type { EscalationLevel } from './types';
import type { EscalationClock, ScorecardRow } from './impedimentTypes';

const MINUTE_MS = 60_000;

export type ClockOutcome = 'inTime' | 'late' | 'never' | 'running';

/**
 * - inTime: acknowledged at or before its due time;
 * - late: acknowledged after it;
 * - never: not acknowledged, and the clock ended (escalated further or closed) or is overdue;
 * - running: not acknowledged, still running and not yet due (not counted).
 */
export function clockOutcome(clock: EscalationClock, now: Date): ClockOutcome {
  if (clock.acknowledgedAt !== null) {
    return clock.acknowledgedAt.getTime() <= clock.dueAt.getTime() ? 'inTime' : 'late';
  }
  if (clock.endedAt !== null || now.getTime() > clock.dueAt.getTime()) return 'never';
  return 'running';
}

/** Median of the values, rounded to whole minutes; null for none. */
function medianMinutes(ms: number[]): number | null {
  if (ms.length === 0) return null;
  const sorted = [...ms].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(median / MINUTE_MS);
}

/**
 * One row per level of `levels` (in level order). Clocks at a level no longer in the line
 * are left out. Time to acknowledge is `acknowledgedAt − startedAt`, never below zero.
 */
export function computeScorecard(levels: readonly EscalationLevel[], clocks: readonly EscalationClock[], now: Date): ScorecardRow[] {
  return [...levels]
    .sort((a, b) => a.level - b.level)
    .map((level) => {
      const row: ScorecardRow = { level: level.level, name: level.name, inTime: 0, late: 0, never: 0, medianMinutesToAck: null };
      const toAck: number[] = [];
      for (const clock of clocks) {
        if (clock.level !== level.level) continue;
        const outcome = clockOutcome(clock, now);
        if (outcome === 'running') continue;
        row[outcome] += 1;
        if (clock.acknowledgedAt !== null) toAck.push(Math.max(0, clock.acknowledgedAt.getTime() - clock.startedAt.getTime()));
      }
      row.medianMinutesToAck = medianMinutes(toAck);
      return row;
    });
}

/** `45m`, `2h`, `2h 10m`, `1d 3h` (calendar time). */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m}m`;
  if (m < 24 * 60) return m % 60 === 0 ? `${m / 60}h` : `${Math.floor(m / 60)}h ${m % 60}m`;
  const days = Math.floor(m / (24 * 60));
  const hours = Math.floor((m % (24 * 60)) / 60);
  return hours === 0 ? `${days}d` : `${days}d ${hours}h`;
}

/**
 * One plain-text line per level, e.g. `Team: 4 in time · 1 late · 0 never · median 2h 10m`
 * (`median –` when nothing was acknowledged). Level names are user text: escape them for
 * mrkdwn where this is rendered.
 */
export function scorecardSummary(rows: readonly ScorecardRow[]): string {
  return rows
    .map((r) => {
      const median = r.medianMinutesToAck === null ? '–' : formatMinutes(r.medianMinutesToAck);
      return `${r.name}: ${r.inTime} in time · ${r.late} late · ${r.never} never · median ${median}`;
    })
    .join('\n');
}
