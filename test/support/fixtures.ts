/**
 * Shared factories for the domain objects the unit tests build by hand: an `Engagement`, an
 * `Impediment`, an escalation line and a check-in. Every factory takes overrides, and overrides
 * win. A test that depends on a value should pass it as an override rather than lean on a default.
 */
import type { Impediment } from '../../src/domain/impedimentTypes';
import type { Checkin } from '../../src/domain/statusTypes';
import type { Engagement, EscalationLevel } from '../../src/domain/types';
import { draft } from './drafts';

export const TZ = 'Europe/Berlin';

/** Text that would ping, link or impersonate if it ever reached Slack unescaped. */
export const HOSTILE = '<!channel> <!here|here> <@U999> <http://evil.example|Your bank> & <!subteam^S1|@leads>';

/**
 * The escalation line of `draft()` (Team → Program → Executive), with per-level overrides by
 * position: `escalationLine([{ responseTime: 4, responseUnit: 'business_hours' }])` changes level 1 only.
 */
export function escalationLine(overrides: readonly Partial<EscalationLevel>[] = []): EscalationLevel[] {
  return draft().escalation.map((level, i) => ({ ...level, ...overrides[i] }));
}

/** A stored, active engagement (id 7 in workspace T1) with its own channel `CENG`, made from `draft()`. */
export function engagement(overrides: Partial<Engagement> = {}): Engagement {
  const kickedOff = new Date('2026-11-23T09:00:00Z');
  return {
    ...draft(),
    id: 7,
    teamId: 'T1',
    health: null,
    lifecycle: 'active',
    engagementChannelId: 'CENG',
    closeNote: null,
    createdBy: 'USPONSOR',
    createdAt: kickedOff,
    updatedAt: kickedOff,
    closedAt: null,
    autoEscalate: true,
    announcements: [],
    confirmation: null,
    ...overrides,
  };
}

/** An open, owner-less impediment IMP-12 (id 41) of engagement 7 at level 1, raised by UREPORTER. */
export function impediment(overrides: Partial<Impediment> = {}): Impediment {
  const raised = new Date('2026-11-23T14:37:00Z');
  return {
    id: 41,
    teamId: 'T1',
    number: 12,
    engagementId: 7,
    description: 'Staging is down every Monday',
    severity: 'high',
    organisational: false,
    anonymous: false,
    reporterId: 'UREPORTER',
    ownerId: null,
    state: 'open',
    level: 1,
    dueAt: new Date('2026-11-25T14:37:00Z'),
    waitingOnExecutives: false,
    source: 'command',
    sourcePermalink: null,
    resolutionNote: null,
    createdAt: raised,
    updatedAt: raised,
    closedAt: null,
    cards: [],
    ...overrides,
  };
}

/** An amber check-in by UCOACH1 on engagement 7 with one outcome value. */
export function checkin(overrides: Partial<Checkin> = {}): Checkin {
  return {
    id: 3,
    engagementId: 7,
    authorId: 'UCOACH1',
    health: 'amber',
    summary: 'Retro happened; releases still slow',
    nextSteps: 'Pair on the deploy pipeline',
    outcomeValues: [{ position: 0, value: 14 }],
    createdAt: new Date('2026-11-20T10:00:00Z'),
    ...overrides,
  };
}
