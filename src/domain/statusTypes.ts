/**
 * Read models for /status, App Home and digests. Pure data assembled by the store;
 * domain functions in status.ts turn them into what the views show.
 */
import type { EventRecord, PulseSummary } from './ports';
import type { Impediment, ScorecardRow, Severity } from './impedimentTypes';
import type { Engagement, Health, Outcome } from './types';

export interface Checkin {
  id: number;
  engagementId: number;
  authorId: string;
  health: Health;
  summary: string;
  nextSteps: string;
  /** Outcome position → value reported in this check-in. */
  outcomeValues: { position: number; value: number }[];
  createdAt: Date;
}

/** Everything the engagement status view needs, loaded in a few indexed queries. */
export interface EngagementStatusData {
  engagement: Engagement;
  latestCheckin: Checkin | null;
  /** Previous check-in (for the outcome trend), or null. */
  previousCheckin: Checkin | null;
  openBySeverity: Record<Severity, number>;
  /** Open or acknowledged impediments, oldest first (at most a few dozen). */
  openImpediments: Impediment[];
  /** Escalated (level > 1), not closed (at most a few dozen). */
  escalated: Impediment[];
  /** How many are escalated in all (the list above is capped). */
  escalatedTotal?: number;
  /** Open (unacknowledged) past their due time. */
  unansweredEscalations: Impediment[];
  /** How many are unanswered in all (the list above is capped). */
  unansweredTotal?: number;
  scorecard: ScorecardRow[];
  /**
   * Optional: the scorecard over the last 30 days only. When present, computed health reads
   * missed commitments from it instead of the all-time `scorecard`.
   */
  recentScorecard?: ScorecardRow[];
  recentEvents: EventRecord[];
  /** The team pulse: latest closed results and the one open now (absent where pulses are not loaded). */
  pulse?: PulseSummary | null;
}

/** Which engagements a portfolio lists. */
export type PortfolioFilter = { type: 'active' } | { type: 'all' } | { type: 'mine'; userId: string };

/** One line of the portfolio, from one aggregate query (no per-engagement queries). */
export interface PortfolioRow {
  id: number;
  key: string;
  name: string;
  level: Engagement['level'];
  origin: Engagement['origin'];
  lifecycle: Engagement['lifecycle'];
  sponsorId: string;
  health: Health | null;
  lastCheckinAt: Date | null;
  openImpediments: number;
  escalatedImpediments: number;
  /** Open (unacknowledged) past their due time. */
  overdueImpediments: number;
  oldestOpenAt: Date | null;
  createdAt: Date;
  startDate: string;
}

/** Organisational impediments at the top of their line, waiting on executives. */
export interface ExecutiveWait {
  impediment: Impediment;
  engagementKey: string;
  levelName: string;
}

export type ComputedHealth = { health: Health; reasons: string[] };

// --- view models built by status.ts ----------------------------------------------------------

export type Trend = 'toward' | 'away' | 'flat';

export interface OutcomeStatus {
  text: string;
  metric: Outcome['metric'];
  /** 0–100 of the way from baseline to target, clamped; null without a current value. */
  progress: number | null;
  trend: Trend | null;
}

export interface EscalatedItem {
  ref: string;
  severity: Severity;
  level: number;
  levelName: string;
  description: string;
  dueAt: Date | null;
  /** Open (unacknowledged) and past its due time. */
  overdue: boolean;
  anonymous: boolean;
  waitingOnExecutives: boolean;
}

/** One line of recent activity. `text` is plain words (escape it); it follows a mention of `actorId`, or stands alone when null. */
export interface EventLine {
  at: Date;
  actorId: string | null;
  text: string;
  /** About an anonymous report: show the day only. */
  anonymous: boolean;
}

export interface EngagementStatusModel {
  engagement: Engagement;
  /** Local days since the start date (negative before it starts); null for an unreadable date. */
  daysSinceKickoff: number | null;
  /** Local days until the review date (negative = overdue). */
  daysToReview: number | null;
  checkin: { stale: boolean; latest: { health: Health; authorId: string; at: Date; age: string; summary: string } | null };
  computed: ComputedHealth;
  disagreement: string | null;
  outcomes: OutcomeStatus[];
  openBySeverity: Record<Severity, number>;
  openTotal: number;
  oldestOpen: { ref: string; age: string } | null;
  escalated: EscalatedItem[];
  /** All escalated ones (the list is capped). */
  escalatedTotal: number;
  scorecard: ScorecardRow[];
  events: EventLine[];
  pulse: PulseSummary | null;
}

export interface QuarterShare {
  /** `Q4 2026` */
  label: string;
  pull: number;
  push: number;
  /** Percent of pull among the engagements kicked off that quarter, rounded; null when none. */
  pullShare: number | null;
}

export interface PushPullShare {
  thisQuarter: QuarterShare;
  lastQuarter: QuarterShare;
}

/** One measured outcome that moved during a digest's window. */
export interface OutcomeMove {
  text: string;
  from: number | null;
  to: number | null;
  unit: string;
}

/** What a weekly digest reports: the changes in one engagement between two times. */
export interface DigestContent {
  engagement: Engagement;
  from: Date;
  to: Date;
  healthBefore: Health | null;
  healthNow: Health | null;
  /** Check-ins in the window, oldest first. */
  checkins: Checkin[];
  raised: Impediment[];
  resolved: Impediment[];
  escalated: Impediment[];
  outcomeMoves: OutcomeMove[];
  /** Totals (the lists above are capped). */
  counts?: { raised: number; resolved: number; escalated: number };
  /** The team pulse: latest closed results and the one open now. */
  pulse?: PulseSummary | null;
}
