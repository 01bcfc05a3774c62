/**
 * Domain types shared by services, store and views. Pure data: no Slack, no SQL.
 * Slack ids (users, channels, teams) are plain strings here.
 */

export const LEVELS = ['team', 'program', 'organization'] as const;
export type CoachingLevel = (typeof LEVELS)[number];

export const ORIGINS = ['pull', 'push'] as const;
/** pull: the team asked for the coach; push: the coach was assigned. */
export type Origin = (typeof ORIGINS)[number];

export const HEALTHS = ['green', 'amber', 'red'] as const;
export type Health = (typeof HEALTHS)[number];

export const LIFECYCLES = ['active', 'paused', 'completed', 'cancelled'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const RESPONSE_UNITS = ['business_days', 'business_hours'] as const;
export type ResponseUnit = (typeof RESPONSE_UNITS)[number];

/** A calendar date, `YYYY-MM-DD`, as Slack's datepicker gives it. */
export type IsoDate = string;

export interface Outcome {
  /** The line as the sponsor wrote it (without the metric part when one was parsed). */
  text: string;
  metric: OutcomeMetric | null;
}

export interface OutcomeMetric {
  baseline: number;
  target: number;
  /** Latest value from a check-in; null until someone reports one. */
  current: number | null;
  /** Free text such as `%`, `days`, `deploys/week`; may be empty. */
  unit: string;
}

export interface EscalationLevel {
  /** 1-based position in the line. */
  level: number;
  name: string;
  contactIds: string[];
  responseTime: number;
  responseUnit: ResponseUnit;
}

/** What the kickoff modal produces once parsed and validated. */
export interface EngagementDraft {
  name: string;
  key: string;
  level: CoachingLevel;
  origin: Origin;
  /** Who asked for the coach (pull only). */
  requestedBy: string | null;
  sponsorId: string;
  coachIds: string[];
  painPoints: string[];
  outcomes: Outcome[];
  escalation: EscalationLevel[];
  startDate: IsoDate;
  reviewDate: IsoDate;
  announcementChannelIds: string[];
  /** Name for a new engagement channel, or null when none is wanted. */
  engagementChannelName: string | null;
  /** Who a team pulse asks when there is no engagement channel (the form's Team field); absent: unchanged. */
  teamIds?: string[];
  /** The form's "associate coaches only: confirmed" tick (organisation-level engagements); not stored. */
  associatesConfirmed?: boolean;
}

export type AnnouncementStatus = 'pending' | 'posted' | 'failed';

export interface Announcement {
  channelId: string;
  status: AnnouncementStatus;
  /** Channel id Slack answered with (same as channelId for channels). */
  messageChannel: string | null;
  ts: string | null;
  permalink: string | null;
  /** Why it could not be posted, in words for the sponsor. */
  failure: string | null;
  /** True for the announcement in the engagement channel (pinned there). */
  inEngagementChannel: boolean;
  /** False once the channel was removed from the engagement in an edit. */
  active: boolean;
}

export interface Engagement extends Omit<EngagementDraft, 'announcementChannelIds' | 'engagementChannelName'> {
  id: number;
  teamId: string;
  health: Health | null;
  lifecycle: Lifecycle;
  announcementChannelIds: string[];
  engagementChannelName: string | null;
  engagementChannelId: string | null;
  closeNote: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** When false, the escalation sweep leaves this engagement alone. */
  autoEscalate: boolean;
  announcements: Announcement[];
  /** Where the sponsor's confirmation DM lives, once posted. */
  confirmation: { channel: string; ts: string } | null;
}
