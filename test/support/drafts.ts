import type { EngagementDraft } from '../../src/domain/types';

/** A valid engagement draft with overrides, for store and service tests. */
export function draft(overrides: Partial<EngagementDraft> = {}): EngagementDraft {
  return {
    name: 'Payments platform',
    key: 'payments-platform',
    level: 'team',
    origin: 'pull',
    requestedBy: 'UREQ',
    sponsorId: 'USPONSOR',
    coachIds: ['UCOACH1', 'UCOACH2'],
    painPoints: ['Releases take three weeks', 'Nobody owns the backlog'],
    outcomes: [
      { text: 'Lead time', metric: { baseline: 21, target: 5, current: null, unit: 'days' } },
      { text: 'Team runs its own retros', metric: null },
    ],
    escalation: [
      { level: 1, name: 'Team', contactIds: ['UCOACH1', 'UCOACH2'], responseTime: 2, responseUnit: 'business_days' },
      { level: 2, name: 'Program', contactIds: ['UPROGRAM'], responseTime: 3, responseUnit: 'business_days' },
      { level: 3, name: 'Executive', contactIds: ['USPONSOR'], responseTime: 5, responseUnit: 'business_days' },
    ],
    startDate: '2026-11-23',
    reviewDate: '2027-02-21',
    announcementChannelIds: ['CANNOUNCE1', 'CANNOUNCE2'],
    engagementChannelName: null,
    ...overrides,
  };
}
