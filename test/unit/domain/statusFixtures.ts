/** Builders for the /status read models (used by the status domain and view tests). */
import type { Impediment, Severity } from '../../../src/domain/impedimentTypes';
import type { Checkin, EngagementStatusData, PortfolioRow } from '../../../src/domain/statusTypes';
import type { Engagement } from '../../../src/domain/types';
import type { EventRecord } from '../../../src/store/events';
import { draft } from '../../support/drafts';

export const TZ = 'Europe/Berlin';
/** Wednesday 9 December 2026, 13:00 in Berlin. */
export const NOW = new Date('2026-12-09T12:00:00Z');
export const at = (iso: string): Date => new Date(iso);
export const daysAgo = (n: number, from = NOW): Date => new Date(from.getTime() - n * 86_400_000);

export function engagement(overrides: Partial<Engagement> = {}): Engagement {
  const created = at('2026-11-23T09:00:00Z');
  return {
    ...draft(),
    id: 7,
    teamId: 'T1',
    health: 'green',
    lifecycle: 'active',
    engagementChannelId: 'CENG',
    closeNote: null,
    createdBy: 'USPONSOR',
    createdAt: created,
    updatedAt: created,
    closedAt: null,
    autoEscalate: true,
    announcements: [],
    confirmation: null,
    ...overrides,
  };
}

let nextId = 100;
export function impediment(overrides: Partial<Impediment> = {}): Impediment {
  const id = nextId++;
  return {
    id,
    teamId: 'T1',
    number: id,
    engagementId: 7,
    description: 'Staging is down every Monday',
    severity: 'medium',
    organisational: false,
    anonymous: false,
    reporterId: 'UREPORTER',
    ownerId: null,
    state: 'open',
    level: 1,
    dueAt: null,
    waitingOnExecutives: false,
    source: 'command',
    sourcePermalink: null,
    resolutionNote: null,
    createdAt: daysAgo(1),
    updatedAt: daysAgo(1),
    closedAt: null,
    cards: [],
    ...overrides,
  };
}

export function checkin(overrides: Partial<Checkin> = {}): Checkin {
  return { id: 1, engagementId: 7, authorId: 'UCOACH1', health: 'green', summary: 'Going well', nextSteps: '', outcomeValues: [], createdAt: daysAgo(1), ...overrides };
}

export function event(type: string, overrides: Partial<EventRecord> = {}): EventRecord {
  return { id: nextId++, teamId: 'T1', engagementId: 7, actorId: 'UCOACH1', type, data: {}, createdAt: daysAgo(1), ...overrides };
}

const bySeverity = (imps: readonly Impediment[]): Record<Severity, number> => {
  const counts: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const i of imps) counts[i.severity] += 1;
  return counts;
};

/** Status data whose counts follow `openImpediments` unless given. */
export function statusData(overrides: Partial<EngagementStatusData> = {}): EngagementStatusData {
  const open = overrides.openImpediments ?? [];
  return {
    engagement: engagement(),
    latestCheckin: checkin(),
    previousCheckin: null,
    openBySeverity: bySeverity(open),
    openImpediments: open,
    escalated: open.filter((i) => i.level > 1),
    unansweredEscalations: [],
    scorecard: [],
    recentEvents: [],
    ...overrides,
  };
}

export function portfolioRow(key: string, overrides: Partial<PortfolioRow> = {}): PortfolioRow {
  return {
    id: nextId++,
    key,
    name: `Engagement ${key}`,
    level: 'team',
    origin: 'pull',
    lifecycle: 'active',
    sponsorId: 'USPONSOR',
    health: 'green',
    lastCheckinAt: daysAgo(1),
    openImpediments: 0,
    escalatedImpediments: 0,
    overdueImpediments: 0,
    oldestOpenAt: null,
    createdAt: daysAgo(30),
    startDate: '2026-11-09',
    ...overrides,
  };
}
