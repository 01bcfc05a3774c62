/** Builders for the /status read models (used by the status domain and view tests). */
import type { Impediment, Severity } from '../../../src/domain/impedimentTypes';
import type { Checkin, EngagementStatusData, PortfolioRow } from '../../../src/domain/statusTypes';
import type { EventRecord } from '../../../src/store/events';
import * as shared from '../../support/fixtures';

export { TZ, engagement } from '../../support/fixtures';

/** Wednesday 9 December 2026, 13:00 in Berlin. */
export const NOW = new Date('2026-12-09T12:00:00Z');
export const at = (iso: string): Date => new Date(iso);
export const daysAgo = (n: number, from = NOW): Date => new Date(from.getTime() - n * 86_400_000);

let nextId = 100;
/** The shared impediment with a fresh id and number, medium, not due, raised a day before NOW. */
export function impediment(overrides: Partial<Impediment> = {}): Impediment {
  const id = nextId++;
  return shared.impediment({ id, number: id, severity: 'medium', dueAt: null, createdAt: daysAgo(1), updatedAt: daysAgo(1), ...overrides });
}

/** A green check-in a day before NOW, with no next steps or outcome values. */
export const checkin = (overrides: Partial<Checkin> = {}): Checkin =>
  shared.checkin({ health: 'green', summary: 'Going well', nextSteps: '', outcomeValues: [], createdAt: daysAgo(1), ...overrides });

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
    engagement: shared.engagement(),
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
