/**
 * What the services need from storage, in domain words. `src/store/` implements these over
 * SQLite or PostgreSQL; the composition root wires them once. No SQL, rows or drivers here.
 */
import type { Delivery } from './deliveries';
import type { EscalationClock, Impediment, ImpedimentState, RaiseInput, Severity } from './impedimentTypes';
import type { Checkin, PortfolioFilter, PortfolioRow } from './statusTypes';
import type { Engagement, EngagementDraft } from './types';

/** Runs `fn` in one database transaction; every repository call inside it joins the transaction. */
export type Transaction = <T>(fn: () => Promise<T>) => Promise<T>;

export interface EventRecord {
  id: number;
  teamId: string;
  engagementId: number | null;
  /** Null for system actions and for anything done anonymously. */
  actorId: string | null;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface NewEvent {
  teamId: string;
  engagementId: number | null;
  impedimentId?: number | null;
  /** Null for system actions and for anything done anonymously. */
  actorId: string | null;
  type: string;
  data?: Record<string, unknown>;
  at: Date;
}

/** A raise as stored: `reporterId` is null for an anonymous impediment (the schema refuses one then). */
export interface NewImpediment extends Omit<RaiseInput, 'requestKey'> {
  teamId: string;
  dueAt: Date;
  followupHash: string | null;
}

export interface EventLog {
  append(e: NewEvent): Promise<number>;
  forEngagement(engagementId: number, limit?: number): Promise<EventRecord[]>;
  forImpediment(impedimentId: number, limit?: number): Promise<EventRecord[]>;
}

/** Request/event ids already acted on (shared by every instance). */
export interface RequestLedger {
  /** True the first time a key is claimed; call inside the transaction that acts on it. */
  claim(teamId: string, key: string, at: Date): Promise<boolean>;
}

export interface EngagementRepository {
  keyTaken(teamId: string, key: string, exceptId?: number): Promise<boolean>;
  insert(teamId: string, draft: EngagementDraft, createdBy: string, at: Date): Promise<number>;
  update(id: number, teamId: string, draft: EngagementDraft, at: Date): Promise<void>;
  retryFailedAnnouncements(id: number): Promise<string[]>;
  close(id: number, note: string | null, at: Date): Promise<void>;
  get(id: number): Promise<Engagement | null>;
  getByKey(teamId: string, key: string): Promise<Engagement | null>;
  setAutoEscalate(id: number, on: boolean): Promise<void>;
  listActive(teamId: string, limit?: number): Promise<{ id: number; key: string; name: string }[]>;
}

export type ImpedimentChange = Partial<{
  state: ImpedimentState;
  level: number;
  dueAt: Date | null;
  ownerId: string;
  waitingOnExecutives: boolean;
  description: string;
  severity: Severity;
  resolutionNote: string | null;
  closedAt: Date;
}>;

export interface ImpedimentRepository {
  insert(n: NewImpediment, at: Date): Promise<Impediment>;
  get(id: number): Promise<Impediment | null>;
  getByNumber(teamId: string, number: number): Promise<Impediment | null>;
  followupHash(id: number): Promise<string | null>;
  /** Applies a change only if the impediment is still in the state the caller saw. */
  update(id: number, expected: { state: ImpedimentState; level: number }, change: ImpedimentChange, at: Date): Promise<boolean>;
  startClock(teamId: string, impedimentId: number, engagementId: number, level: number, at: Date, dueAt: Date, automatic: boolean): Promise<void>;
  acknowledgeClock(impedimentId: number, level: number, at: Date): Promise<void>;
  endClocks(impedimentId: number, at: Date): Promise<void>;
  clocksForEngagement(engagementId: number): Promise<EscalationClock[]>;
  addCardTarget(teamId: string, impedimentId: number, target: string): Promise<void>;
  engagementsForChannel(teamId: string, channelId: string): Promise<number[]>;
  engagementOfOwnChannel(teamId: string, channelId: string): Promise<number | null>;
  /** Open impediments past due on auto-escalating engagements, below the top level, in due order. */
  dueForEscalation(now: Date, limit: number, afterDueAt?: string): Promise<{ id: number; level: number; dueAt: string }[]>;
  list(teamId: string, filter: { engagementId?: number; userId?: string; openOnly?: boolean }, limit: number): Promise<{ items: Impediment[]; total: number }>;
}

export interface CheckinRepository {
  insert(c: Omit<Checkin, 'id'> & { teamId: string }): Promise<number>;
  latest(engagementId: number, limit?: number): Promise<Checkin[]>;
  all(engagementId: number): Promise<Checkin[]>;
  between(engagementId: number, from: Date, to: Date): Promise<Checkin[]>;
  before(engagementId: number, at: Date): Promise<Checkin | null>;
}

/** Read models for /status, Home and digests. */
export interface StatusReads {
  portfolio(teamId: string, filter: PortfolioFilter, now: Date): Promise<PortfolioRow[]>;
  kickoffsSince(teamId: string, since: Date): Promise<{ origin: Engagement['origin']; createdAt: Date }[]>;
  openBySeverity(engagementId: number): Promise<Record<Severity, number>>;
  openImpediments(engagementId: number, limit: number): Promise<Impediment[]>;
  escalated(engagementId: number, limit: number): Promise<Impediment[]>;
  countEscalated(engagementId: number): Promise<number>;
  countUnanswered(engagementId: number, now: Date): Promise<number>;
  unanswered(engagementId: number, now: Date, limit: number): Promise<Impediment[]>;
  executiveWaits(teamId: string, limit: number): Promise<Impediment[]>;
  waitingOn(teamId: string, userId: string, limit: number): Promise<Impediment[]>;
  ownedBy(teamId: string, userId: string, limit: number): Promise<Impediment[]>;
  changedBetween(
    engagementId: number,
    from: Date,
    to: Date,
  ): Promise<{ raised: Impediment[]; resolved: Impediment[]; escalated: Impediment[]; counts: { raised: number; resolved: number; escalated: number } }>;
}

/** Weekly digest occurrences: (engagement, due time) advances once, whichever instance runs it. */
export interface DigestSchedules {
  digestsDue(now: Date, limit: number): Promise<{ id: number; nextAt: string | null }[]>;
  advanceDigest(id: number, expectedNextAt: string | null, lastAt: Date | null, nextAt: Date): Promise<boolean>;
  setDigestSchedule(id: number, s: { weekday: number; hour: number; minute: number }, nextAt: Date): Promise<void>;
  digestSchedule(id: number): Promise<{ weekday: number; hour: number; minute: number; lastAt: Date | null }>;
}

/** Reminder occurrences: (kind, item, person, local day) fires once. */
export interface ReminderLedger {
  checkinsStale(before: Date, limit: number, afterId?: number): Promise<{ id: number; lastCheckinAt: Date | null; createdAt: Date }[]>;
  impedimentsIdle(before: Date, limit: number, afterId?: number): Promise<{ id: number; teamId: string; engagementId: number; ownerId: string; updatedAt: Date }[]>;
  reminderRecipients(checkinBefore: Date, idleBefore: Date): Promise<{ teamId: string; userId: string }[]>;
  reminderState(kind: 'checkin' | 'impediment', itemId: number, userId: string): Promise<{ lastDate: string | null; snoozedUntil: Date | null }>;
  markReminded(teamId: string, kind: 'checkin' | 'impediment', itemId: number, userId: string, localDate: string): Promise<boolean>;
  snooze(teamId: string, kind: 'checkin' | 'impediment', itemId: number, userId: string, until: Date): Promise<void>;
}

/** People: time zones (cached) and who has opened the Home tab. */
export interface People {
  userZone(teamId: string, userId: string): Promise<{ tz: string | null; fetchedAt: Date } | null>;
  setUserZone(teamId: string, userId: string, tz: string | null, at: Date): Promise<void>;
  homeOpened(teamId: string, userId: string, at: Date): Promise<void>;
  withHome(teamId: string, userIds: string[]): Promise<string[]>;
}

/** Commits a delivery to the durable outbox (inside the transaction that caused it). */
export type Deliver = (teamId: string, d: Delivery, sponsorId: string) => Promise<void>;

/** A team pulse as stored (answers live apart, without anyone's id). */
export interface Pulse {
  id: number;
  teamId: string;
  engagementId: number;
  occurrence: string;
  reason: import('./pulseRules').PulseReason;
  requestedBy: string | null;
  status: 'inviting' | 'open' | 'closed';
  asked: number;
  answered: number;
  openedAt: Date;
  remindAt: Date;
  closesAt: Date;
  /** The day it closed (workspace zone), `YYYY-MM-DD`. */
  closedOn: string | null;
}

/** The latest closed pulse's results (shown only from the threshold) and the pulse open now. */
export interface PulseSummary {
  latest: { pulse: Pulse; results: import('./pulseRules').PulseResults } | null;
  open: Pulse | null;
}

/** An engagement the pulse schedule looks at: what it had already and whether one is open now. */
export interface PulseCandidate {
  id: number;
  teamId: string;
  lifecycle: string;
  createdAt: Date;
  reviewDate: string;
  closedAt: Date | null;
  occurrences: string[];
  hasOpen: boolean;
}

/** Pulses: who is asked (until the pulse closes), answers (anonymous), scheduled occurrences. */
export interface PulseRepository {
  /** Null when the engagement already had this occurrence (unique key): it fires once, whichever instance computes it. */
  create(p: { teamId: string; engagementId: number; occurrence: string; reason: Pulse['reason']; requestedBy: string | null; openedAt: Date; remindAt: Date; closesAt: Date }): Promise<number | null>;
  get(id: number): Promise<Pulse | null>;
  /** The pulse being sent or answered now, if any. */
  current(engagementId: number): Promise<Pulse | null>;
  /** Closed pulses, newest first. */
  closed(engagementId: number, limit: number): Promise<Pulse[]>;
  candidates(now: Date, recentSince: Date, today: string, limit: number, afterId: number): Promise<PulseCandidate[]>;
  /** The kickoff's Team field. */
  teamMembers(engagementId: number): Promise<string[]>;
  /** Records who was asked and opens the pulse; false when it was already done. */
  recordAsked(pulseId: number, userIds: string[]): Promise<boolean>;
  isAsked(pulseId: number, userId: string): Promise<boolean>;
  /** `person` is the answerer's keyed hash (never their id). */
  hasAnswered(pulseId: number, person: string): Promise<boolean>;
  /** Records that this (hashed) person answered; false when they already had. */
  markAnswered(pulseId: number, person: string): Promise<boolean>;
  insertAnswer(pulseId: number, day: string, a: import('./pulseRules').PulseAnswer): Promise<void>;
  answers(pulseId: number): Promise<import('./pulseRules').PulseAnswer[]>;
  /** People asked and not reminded yet, of open pulses whose reminder time came (the service skips those who answered). */
  dueReminders(now: Date, limit: number, after?: { pulseId: number; userId: string }): Promise<{ pulseId: number; teamId: string; engagementId: number; userId: string }[]>;
  markReminded(pulseId: number, userId: string): Promise<boolean>;
  dueToClose(now: Date, limit: number): Promise<Pulse[]>;
  /**
   * Closes the pulse and forgets who was asked and who answered (the asked list, and the delivered
   * invitations and reminders in the outbox); false when already closed.
   */
  close(pulseId: number, day: string): Promise<boolean>;
}

export type Urgency = 'low' | 'medium' | 'high';

/** A team's request for a coach (`/kickoff request`). */
export interface CoachingRequest {
  id: number;
  teamId: string;
  requesterId: string;
  teamName: string;
  painPoints: string[];
  outcomes: string;
  urgency: Urgency;
  status: 'open' | 'started' | 'declined';
  decidedBy: string | null;
  declineReason: string | null;
  engagementId: number | null;
  requesterTold: boolean;
  createdAt: Date;
  decidedAt: Date | null;
  /** Where it was posted: the requests channel, or admins' DMs (user ids). */
  targets: string[];
}

export interface CoachingRequestRepository {
  insert(r: { teamId: string; requesterId: string; teamName: string; painPoints: string[]; outcomes: string; urgency: Urgency; targets: string[] }, at: Date): Promise<number>;
  get(id: number): Promise<CoachingRequest | null>;
  /** Only an open request changes; false when someone decided it first. */
  decide(id: number, d: { status: 'started' | 'declined'; by: string; reason: string | null; engagementId: number | null }, at: Date): Promise<boolean>;
  forEngagement(engagementId: number): Promise<CoachingRequest | null>;
  markRequesterTold(id: number): Promise<boolean>;
  setPosted(requestId: number, target: string, channel: string, ts: string): Promise<void>;
  post(requestId: number, target: string): Promise<{ channel: string | null; ts: string | null } | null>;
  open(teamId: string, limit: number): Promise<CoachingRequest[]>;
  requestsChannel(teamId: string): Promise<string | null>;
  setRequestsChannel(teamId: string, channelId: string, by: string, at: Date): Promise<void>;
  /** Whether the person coaches any engagement (coaches and admins decide requests). */
  isCoach(teamId: string, userId: string): Promise<boolean>;
}
