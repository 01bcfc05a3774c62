/**
 * Team pulse rules: the five statements, when a pulse is sent, reminded and closed, and what its
 * answers may show. Pure functions over plain data (no Slack, no SQL); the clock is passed in.
 */
import { randomInt } from 'node:crypto';
import { addBusinessTime } from './businessTime';

/** The five statements, in order; each answered on 1 (strongly disagree) … 5 (strongly agree). */
export const PULSE_STATEMENTS = [
  { key: 'know', short: 'Know the pain points', text: 'I know which pain points the coach is here to address.' },
  { key: 'matter', short: 'Pain points matter', text: 'The pain points named are the ones that matter to us.' },
  { key: 'safety', short: 'Safe to raise problems', text: 'I can raise problems here without fear of repercussions.' },
  { key: 'wanted', short: 'Wanted the help', text: 'We wanted this help, and would ask for it again.' },
  { key: 'better', short: 'Getting better', text: 'Things are getting better on what we set out to improve.' },
] as const;

export const PULSE_SCALE = [
  { value: 1, label: 'Strongly disagree' },
  { value: 2, label: 'Disagree' },
  { value: 3, label: 'Neither' },
  { value: 4, label: 'Agree' },
  { value: 5, label: 'Strongly agree' },
] as const;

/** Statements counted as buy-in (know why the coach is there, the pain points are ours, we wanted it) and as safety. */
export const BUY_IN_STATEMENTS = [0, 1, 3] as const;
export const SAFETY_STATEMENT = 2;

export const PULSE_TIMING = {
  /** The baseline pulse goes out this many days after kickoff. */
  baselineAfterDays: 7,
  /** One reminder this many business days after the pulse opened, in the person's working hours. */
  remindAfterBusinessDays: 3,
  /** The pulse closes this many business days after it opened. */
  closeAfterBusinessDays: 5,
} as const;

export const PULSE_COMMENT_MAX = 1000;
/** The smallest threshold an operator may set: below it, a result could point at a person. */
export const PULSE_MIN_RESPONSES_FLOOR = 3;
export const PULSE_MIN_RESPONSES_DEFAULT = 5;

export type PulseReason = 'baseline' | 'review' | 'closing' | 'manual';
/** Five values 1..5, in statement order. */
export type PulseScores = [number, number, number, number, number];

export interface PulseAnswer {
  scores: PulseScores;
  comment: string | null;
}

/** The schedule of a pulse opened at `openedAt` (business days in the workspace zone). */
export function pulseSchedule(openedAt: Date, workspaceTz: string): { remindAt: Date; closesAt: Date } {
  return {
    remindAt: addBusinessTime(openedAt, PULSE_TIMING.remindAfterBusinessDays, 'business_days', workspaceTz),
    closesAt: addBusinessTime(openedAt, PULSE_TIMING.closeAfterBusinessDays, 'business_days', workspaceTz),
  };
}

/** The unique key of a scheduled pulse: an engagement has one baseline, one per review date, one closing pulse. */
export function occurrenceKey(reason: Exclude<PulseReason, 'manual'>, reviewDate?: string): string {
  return reason === 'review' ? `review:${reviewDate ?? ''}` : reason;
}

/** How far back the schedule looks: a kickoff, review date or close older than this gets no automatic pulse (e.g. after an upgrade). */
export const PULSE_LOOKBACK_DAYS = 30;

/**
 * The scheduled pulse an engagement is due now, if any: the baseline a week after kickoff, one on
 * each review date, one when it completes. One pulse is open at a time: while one is, the next
 * waits. `had` holds the occurrence keys it already had; `today` is the workspace's date.
 */
export function duePulse(
  e: { lifecycle: string; createdAt: Date; reviewDate: string; closedAt: Date | null; occurrences: readonly string[]; hasOpen: boolean },
  now: Date,
  today: string,
): { reason: Exclude<PulseReason, 'manual'>; occurrence: string } | null {
  if (e.hasOpen) return null;
  const had = new Set(e.occurrences);
  const lookback = now.getTime() - PULSE_LOOKBACK_DAYS * 86_400_000;
  if (e.lifecycle === 'completed') {
    if (e.closedAt === null || e.closedAt.getTime() < lookback || had.has(occurrenceKey('closing'))) return null;
    return { reason: 'closing', occurrence: occurrenceKey('closing') };
  }
  if (e.lifecycle !== 'active') return null;
  const baselineAt = e.createdAt.getTime() + PULSE_TIMING.baselineAfterDays * 86_400_000;
  if (!had.has(occurrenceKey('baseline')) && baselineAt <= now.getTime() && e.createdAt.getTime() >= lookback) {
    return { reason: 'baseline', occurrence: occurrenceKey('baseline') };
  }
  const review = occurrenceKey('review', e.reviewDate);
  const reviewFrom = new Date(lookback).toISOString().slice(0, 10);
  if (!had.has(review) && e.reviewDate <= today && e.reviewDate >= reviewFrom && baselineAt <= now.getTime()) return { reason: 'review', occurrence: review };
  return null;
}

/** PULSE_MIN_RESPONSES as configured, never below the floor. */
export function minResponses(configured: number | null | undefined): number {
  if (configured === null || configured === undefined || !Number.isInteger(configured)) return PULSE_MIN_RESPONSES_DEFAULT;
  return Math.max(PULSE_MIN_RESPONSES_FLOOR, configured);
}

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface StatementResult {
  median: number;
  /** How many answered 1, 2, 3, 4, 5. */
  distribution: [number, number, number, number, number];
  /** This median minus the previous shown pulse's, or null without one. */
  change: number | null;
}

export type PulseResults =
  | { shown: false; responses: number; needed: number }
  | {
      shown: true;
      responses: number;
      needed: number;
      statements: StatementResult[];
      buyIn: number;
      safety: number;
      buyInChange: number | null;
      safetyChange: number | null;
      /** Comments, in an order that says nothing about who wrote which (shuffled). */
      comments: string[];
    };

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Buy-in of one answer: the mean of the buy-in statements. */
const buyInOf = (s: PulseScores) => BUY_IN_STATEMENTS.reduce<number>((sum, i) => sum + s[i], 0) / BUY_IN_STATEMENTS.length;

/**
 * What a pulse may show: nothing but the count below the threshold (small groups are protected,
 * comments included); otherwise per statement the median, distribution and change since the
 * previous pulse that was shown.
 */
export function pulseResults(
  answers: readonly PulseAnswer[],
  previous: readonly PulseAnswer[] | null,
  threshold: number,
  shuffle: <T>(xs: T[]) => T[] = shuffled,
): PulseResults {
  const needed = minResponses(threshold);
  if (answers.length < needed) return { shown: false, responses: answers.length, needed };
  const prev = previous && previous.length >= needed ? previous : null;
  const statements = PULSE_STATEMENTS.map((_, i): StatementResult => {
    const values = answers.map((a) => a.scores[i]!);
    const distribution: StatementResult['distribution'] = [0, 0, 0, 0, 0];
    for (const v of values) distribution[v - 1]! += 1;
    const m = median(values);
    return { median: m, distribution, change: prev ? round1(m - median(prev.map((a) => a.scores[i]!))) : null };
  });
  const buyIn = round1(median(answers.map((a) => buyInOf(a.scores))));
  const safety = statements[SAFETY_STATEMENT]!.median;
  return {
    shown: true,
    responses: answers.length,
    needed,
    statements,
    buyIn,
    safety,
    buyInChange: prev ? round1(buyIn - round1(median(prev.map((a) => buyInOf(a.scores))))) : null,
    safetyChange: statements[SAFETY_STATEMENT]!.change,
    comments: shuffle(answers.flatMap((a) => (a.comment ? [a.comment] : []))),
  };
}

/** Why the computed health turns amber: safety or buy-in fell by a point or more since the previous pulse. */
export function pulseHealthReason(r: PulseResults | null): string | null {
  if (!r || !r.shown) return null;
  const falls: string[] = [];
  if (r.safetyChange !== null && r.safetyChange <= -1) falls.push(`safety fell ${Math.abs(r.safetyChange)} (now ${r.safety} of 5)`);
  if (r.buyInChange !== null && r.buyInChange <= -1) falls.push(`buy-in fell ${Math.abs(r.buyInChange)} (now ${r.buyIn} of 5)`);
  return falls.length > 0 ? `team pulse: ${falls.join(', ')}` : null;
}

/** Fisher–Yates with crypto-grade randomness (the order of comments must not follow the order they came in). */
export function shuffled<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
