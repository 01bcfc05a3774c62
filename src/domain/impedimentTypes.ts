/**
 * Impediments and their escalation clocks. Pure data: no Slack, no SQL.
 * An anonymous impediment has no reporter anywhere: not here, not in the database.
 */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const IMPEDIMENT_STATES = ['open', 'acknowledged', 'resolved', 'wont_fix'] as const;
export type ImpedimentState = (typeof IMPEDIMENT_STATES)[number];

export const IMPEDIMENT_SOURCES = ['command', 'shortcut', 'button', 'modal'] as const;
export type ImpedimentSource = (typeof IMPEDIMENT_SOURCES)[number];

export interface Impediment {
  id: number;
  teamId: string;
  /** Per-workspace number: shown as `IMP-<number>`. */
  number: number;
  engagementId: number;
  description: string;
  severity: Severity;
  organisational: boolean;
  anonymous: boolean;
  /** Null when anonymous (never stored). */
  reporterId: string | null;
  ownerId: string | null;
  state: ImpedimentState;
  /** Current escalation level, 1-based. */
  level: number;
  /** When a response is due at the current level; null once acknowledged or closed. */
  dueAt: Date | null;
  /** At the top level of the escalation line and not yet resolved. */
  waitingOnExecutives: boolean;
  source: ImpedimentSource;
  sourcePermalink: string | null;
  resolutionNote: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** Where the card lives (engagement channel, or DMs to the coaches). */
  cards: ImpedimentCard[];
}

export interface ImpedimentCard {
  channel: string | null;
  ts: string | null;
  /** Destination asked for: a channel id or a coach's user id. */
  target: string;
}

/** One level's clock for one impediment: started when it reached the level. */
export interface EscalationClock {
  impedimentId: number;
  level: number;
  startedAt: Date;
  dueAt: Date;
  acknowledgedAt: Date | null;
  /** When it left this level (escalated further, or closed). */
  endedAt: Date | null;
  /** Escalated here by the sweep (no response in time) rather than by a person. */
  automatic: boolean;
}

export interface ScorecardRow {
  level: number;
  name: string;
  inTime: number;
  late: number;
  never: number;
  /** Median minutes from reaching the level to acknowledgement; null when none. */
  medianMinutesToAck: number | null;
}

/** What raising an impediment takes (from a command, the modal or the shortcut). */
export interface RaiseInput {
  engagementId: number;
  description: string;
  severity: Severity;
  organisational: boolean;
  /** Omitted entirely when anonymous: the service never sees who it was. */
  reporterId: string | null;
  anonymous: boolean;
  source: ImpedimentSource;
  sourcePermalink: string | null;
  /** Identifies the Slack request (e.g. the submitted view), so a repeat raises nothing twice. */
  requestKey?: string;
}

export const impedimentRef = (n: number) => `IMP-${n}`;
