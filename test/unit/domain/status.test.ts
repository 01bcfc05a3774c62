import {
  computeHealth,
  engagementStatusModel,
  eventLine,
  healthDisagreement,
  isCheckinStale,
  outcomeProgress,
  pushPullShare,
  rowAttention,
  sortPortfolio,
} from '../../../src/domain/status';
import type { OutcomeMetric } from '../../../src/domain/types';
import { NOW, TZ, at, checkin, daysAgo, engagement, event, impediment, portfolioRow, statusData } from './statusFixtures';

const metric = (baseline: number, target: number, current: number | null): OutcomeMetric => ({ baseline, target, current, unit: 'days' });
const overdue = (dueIso: string) => impediment({ level: 2, dueAt: at(dueIso) });

describe('computeHealth', () => {
  it('is green with a fresh check-in and nothing waiting', () => {
    expect(computeHealth(statusData(), NOW, TZ)).toEqual({ health: 'green', reasons: [] });
  });

  it('is amber for one escalation a few business days past due, counted across the weekend', () => {
    // Due Friday 4 Dec 13:00 Berlin; now Wednesday 9 Dec 13:00: Mon, Tue, Wed = 3 business days.
    const data = statusData({ unansweredEscalations: [overdue('2026-12-04T12:00:00Z')] });
    expect(computeHealth(data, NOW, TZ)).toEqual({ health: 'amber', reasons: ['1 escalation unanswered for 3 business days'] });
  });

  it('says "past its due time" when under a business day late', () => {
    const data = statusData({ unansweredEscalations: [overdue('2026-12-09T08:00:00Z')] });
    expect(computeHealth(data, NOW, TZ).reasons).toEqual(['1 escalation unanswered past its due time']);
  });

  it('is red for one escalation more than 5 business days past due, not at exactly 5', () => {
    const seven = statusData({ unansweredEscalations: [overdue('2026-11-30T12:00:00Z')] });
    expect(computeHealth(seven, NOW, TZ)).toEqual({ health: 'red', reasons: ['1 escalation unanswered for 7 business days'] });
    const five = statusData({ unansweredEscalations: [overdue('2026-12-02T12:00:00Z')] });
    expect(computeHealth(five, NOW, TZ).health).toBe('amber');
  });

  it('is red for two unanswered escalations, and says "up to" when their ages differ', () => {
    const same = statusData({ unansweredEscalations: [overdue('2026-12-01T12:00:00Z'), overdue('2026-12-01T12:00:00Z')] });
    expect(computeHealth(same, NOW, TZ)).toEqual({ health: 'red', reasons: ['2 escalations unanswered for 6 business days'] });
    const mixed = statusData({ unansweredEscalations: [overdue('2026-12-01T12:00:00Z'), overdue('2026-12-08T12:00:00Z')] });
    expect(computeHealth(mixed, NOW, TZ).reasons).toEqual(['2 escalations unanswered for up to 6 business days']);
  });

  it('ignores "unanswered" rows that are acknowledged or not yet due', () => {
    const data = statusData({
      unansweredEscalations: [impediment({ state: 'acknowledged', dueAt: at('2026-11-01T12:00:00Z') }), overdue('2026-12-10T12:00:00Z')],
    });
    expect(computeHealth(data, NOW, TZ).health).toBe('green');
  });

  it('is red for a critical impediment open more than 3 business days, green at 3', () => {
    const four = impediment({ severity: 'critical', createdAt: at('2026-12-03T12:00:00Z') });
    expect(computeHealth(statusData({ openImpediments: [four] }), NOW, TZ)).toEqual({ health: 'red', reasons: ['1 critical impediment open for 4 business days'] });
    const three = impediment({ severity: 'critical', createdAt: at('2026-12-04T12:00:00Z') });
    expect(computeHealth(statusData({ openImpediments: [three] }), NOW, TZ).health).toBe('green');
  });

  it('is amber for a high impediment open more than 5 business days; closed ones do not count', () => {
    const six = impediment({ severity: 'high', createdAt: at('2026-12-01T12:00:00Z') });
    const five = impediment({ severity: 'high', createdAt: at('2026-12-02T12:00:00Z') });
    const resolved = impediment({ severity: 'critical', state: 'resolved', createdAt: at('2026-10-01T12:00:00Z') });
    expect(computeHealth(statusData({ openImpediments: [six, five, resolved] }), NOW, TZ)).toEqual({
      health: 'amber',
      reasons: ['1 high-severity impediment open for 6 business days'],
    });
  });

  it('is amber for missed commitments, and prefers the 30-day scorecard when given', () => {
    const row = { level: 1, name: 'Team', inTime: 3, late: 2, never: 1, medianMinutesToAck: 60 };
    expect(computeHealth(statusData({ scorecard: [row] }), NOW, TZ)).toEqual({ health: 'amber', reasons: ['1 escalation never answered and 2 answered late'] });
    expect(computeHealth(statusData({ scorecard: [{ ...row, never: 0 }] }), NOW, TZ).reasons).toEqual(['2 escalations answered late']);
    const recent = { ...row, late: 0, never: 0 };
    expect(computeHealth(statusData({ scorecard: [row], recentScorecard: [recent] }), NOW, TZ).health).toBe('green');
  });

  it('judges outcome trends against the previous check-in, else the baseline', () => {
    const outcomes = [
      { text: 'Lead time', metric: metric(21, 5, 25) }, // baseline 21 → 25: away
      { text: 'Defects', metric: metric(30, 10, 20) }, // previous 15 → 20: away
      { text: 'Deploys', metric: metric(1, 10, 4) }, // baseline 1 → 4: toward
      { text: 'Retros', metric: null },
    ];
    const previousCheckin = checkin({ id: 0, outcomeValues: [{ position: 1, value: 15 }] });
    const red = computeHealth(statusData({ engagement: engagement({ outcomes }), previousCheckin }), NOW, TZ);
    expect(red).toEqual({ health: 'red', reasons: ['2 of 3 measured outcomes moving away from target'] });
    const oneAway = outcomes.map((o, i) => (i === 1 ? { ...o, metric: metric(30, 10, 12) } : o));
    expect(computeHealth(statusData({ engagement: engagement({ outcomes: oneAway }), previousCheckin }), NOW, TZ)).toEqual({
      health: 'amber',
      reasons: ['1 of 3 measured outcomes moving away from target'],
    });
    // A single measured outcome moving away is a warning, not red.
    const single = [{ text: 'Lead time', metric: metric(21, 5, 25) }];
    expect(computeHealth(statusData({ engagement: engagement({ outcomes: single }) }), NOW, TZ).health).toBe('amber');
  });

  it('is amber after 7 days without a check-in, counted from kickoff when there is none; not for paused engagements', () => {
    expect(computeHealth(statusData({ latestCheckin: checkin({ createdAt: daysAgo(7) }) }), NOW, TZ).health).toBe('green');
    expect(computeHealth(statusData({ latestCheckin: checkin({ createdAt: daysAgo(8) }) }), NOW, TZ).reasons).toEqual(['no check-in for 8 days']);
    expect(computeHealth(statusData({ latestCheckin: null }), NOW, TZ).reasons).toEqual(['no check-in since kickoff 16 days ago']);
    const fresh = engagement({ createdAt: daysAgo(2) });
    expect(computeHealth(statusData({ engagement: fresh, latestCheckin: null }), NOW, TZ).health).toBe('green');
    const paused = engagement({ lifecycle: 'paused' });
    expect(computeHealth(statusData({ engagement: paused, latestCheckin: null }), NOW, TZ).health).toBe('green');
  });

  it('lists red reasons before amber ones', () => {
    const data = statusData({
      latestCheckin: checkin({ createdAt: daysAgo(10) }),
      unansweredEscalations: [overdue('2026-12-01T12:00:00Z'), overdue('2026-12-01T12:00:00Z')],
    });
    expect(computeHealth(data, NOW, TZ)).toEqual({ health: 'red', reasons: ['2 escalations unanswered for 6 business days', 'no check-in for 10 days'] });
  });
});

describe('healthDisagreement', () => {
  const red = { health: 'red' as const, reasons: ['2 escalations unanswered for 6 business days'] };
  it('names the coach’s health and the reasons', () => {
    expect(healthDisagreement('green', red)).toBe('coach says green; 2 escalations unanswered for 6 business days');
  });
  it('is null when they agree or there is no check-in', () => {
    expect(healthDisagreement('red', red)).toBeNull();
    expect(healthDisagreement(null, red)).toBeNull();
  });
  it('says so when the coach is more worried than the signals', () => {
    expect(healthDisagreement('red', { health: 'green', reasons: [] })).toBe(
      'coach says red; no overdue escalations, ageing impediments, missed commitments or falling outcomes',
    );
  });
});

describe('outcomeProgress', () => {
  it('measures the way from baseline to target, clamped to 0–100, either direction', () => {
    expect(outcomeProgress(metric(21, 5, 13))).toBe(50);
    expect(outcomeProgress(metric(21, 5, 30))).toBe(0);
    expect(outcomeProgress(metric(21, 5, 2))).toBe(100);
    expect(outcomeProgress(metric(1, 10, 4))).toBe(33);
    expect(outcomeProgress(metric(5, 5, 5))).toBe(100);
    expect(outcomeProgress(metric(5, 5, 6))).toBe(0);
    expect(outcomeProgress(metric(21, 5, null))).toBeNull();
    expect(outcomeProgress(null)).toBeNull();
  });
});

describe('engagementStatusModel', () => {
  it('counts days in the workspace time zone and flags an overdue review', () => {
    const m = engagementStatusModel(statusData(), NOW, TZ);
    expect(m.daysSinceKickoff).toBe(16);
    expect(m.daysToReview).toBe(74);
    // 23:30 UTC is already Thursday in Berlin.
    expect(engagementStatusModel(statusData(), at('2026-12-09T23:30:00Z'), TZ).daysSinceKickoff).toBe(17);
    const late = engagementStatusModel(statusData({ engagement: engagement({ reviewDate: '2026-12-01', startDate: '2026-12-20' }) }), NOW, TZ);
    expect(late.daysToReview).toBe(-8);
    expect(late.daysSinceKickoff).toBe(-11);
  });

  it('describes the check-in, outcomes, open and escalated impediments', () => {
    const outcomes = [{ text: 'Lead time', metric: metric(21, 5, 13) }, { text: 'Retros', metric: null }];
    const old = impediment({ number: 3, createdAt: daysAgo(12), severity: 'low' });
    const later = impediment({ number: 9, level: 2, severity: 'high', dueAt: at('2026-12-11T12:00:00Z'), state: 'acknowledged' });
    const late = impediment({ number: 8, level: 2, severity: 'critical', dueAt: at('2026-12-08T12:00:00Z') });
    const top = impediment({ number: 7, level: 3, dueAt: at('2026-12-10T12:00:00Z'), waitingOnExecutives: true });
    const data = statusData({
      engagement: engagement({ outcomes }),
      latestCheckin: checkin({ createdAt: daysAgo(9), health: 'amber', summary: 'Slow week' }),
      openImpediments: [old, later, late, top],
      escalated: [later, late, top],
    });
    const m = engagementStatusModel(data, NOW, TZ);
    expect(m.checkin).toEqual({ stale: true, latest: { health: 'amber', authorId: 'UCOACH1', at: daysAgo(9), age: '9 days', summary: 'Slow week' } });
    expect(m.outcomes.map((o) => [o.text, o.progress, o.trend])).toEqual([['Lead time', 50, 'toward'], ['Retros', null, null]]);
    expect(m.openTotal).toBe(4);
    expect(m.openBySeverity).toEqual({ low: 1, medium: 1, high: 1, critical: 1 });
    expect(m.oldestOpen).toEqual({ ref: 'IMP-3', age: '12 days' });
    expect(m.escalated.map((x) => [x.ref, x.levelName, x.overdue])).toEqual([['IMP-8', 'Program', true], ['IMP-7', 'Executive', false], ['IMP-9', 'Program', false]]);
    expect(m.computed.health).toBe('amber');
    expect(m.disagreement).toBeNull();
  });

  it('never shows an anonymous impediment’s age in hours', () => {
    const anon = impediment({ anonymous: true, reporterId: null, createdAt: new Date(NOW.getTime() - 5 * 3_600_000) });
    expect(engagementStatusModel(statusData({ openImpediments: [anon] }), NOW, TZ).oldestOpen?.age).toBe('less than a day');
  });

  it('keeps the five newest events, as human lines', () => {
    const events = [1, 2, 3, 4, 5, 6, 7].map((n) => event('edited', { id: n, createdAt: daysAgo(n) }));
    const m = engagementStatusModel(statusData({ recentEvents: events }), NOW, TZ);
    expect(m.events.map((e) => e.at)).toEqual([1, 2, 3, 4, 5].map((n) => daysAgo(n)));
    expect(m.events[0]).toEqual({ at: daysAgo(1), actorId: 'UCOACH1', text: 'edited the engagement', anonymous: false });
  });
});

describe('eventLine', () => {
  const e = engagement();
  it('never names the reporter of an anonymous impediment, even if the row carries one', () => {
    const line = eventLine(event('impediment_raised', { actorId: 'ULEAK', data: { anonymous: true, severity: 'high', number: 12 } }), e);
    expect(line).toEqual({ at: daysAgo(1), actorId: null, text: 'IMP-12 was raised anonymously (high)', anonymous: true });
    expect(eventLine(event('impediment_anonymous_reply', { actorId: 'ULEAK' }), e)).toMatchObject({ actorId: null, anonymous: true });
  });
  it('maps each event type to words', () => {
    const text = (type: string, data: Record<string, unknown> = {}, actorId: string | null = 'U1') => eventLine(event(type, { data, actorId }), e).text;
    expect(text('kicked_off')).toBe('kicked off the engagement');
    expect(text('closed')).toBe('closed the engagement');
    expect(text('impediment_raised', { severity: 'low', anonymous: false })).toBe('raised an impediment (low)');
    expect(text('impediment_acknowledged', { level: 1 })).toBe('acknowledged an impediment at Team');
    expect(text('impediment_escalated', { to: 3 }, null)).toBe('An impediment was escalated automatically to Executive (no response in time)');
    expect(text('impediment_escalated', { to: 2 })).toBe('escalated an impediment to Program');
    expect(text('impediment_resolved', { resolution: 'wont_fix' })).toBe('closed an impediment as won’t fix');
    expect(text('checkin_posted', { health: 'amber' })).toBe('posted a check-in (amber)');
    expect(text('auto_escalation_off')).toBe('turned automatic escalation off');
    expect(text('auto_escalation_on', {}, null)).toBe('Automatic escalation was turned on');
    expect(text('something_new')).toBe('something new');
  });
});

describe('portfolio', () => {
  it('sorts red, then overdue escalations, amber, stale check-ins, the rest; by key within each', () => {
    const rows = [
      portfolioRow('zeta'),
      portfolioRow('stale', { lastCheckinAt: daysAgo(9) }),
      portfolioRow('amber', { health: 'amber' }),
      portfolioRow('b-red', { health: 'red' }),
      portfolioRow('overdue', { overdueImpediments: 2 }),
      portfolioRow('a-red', { health: 'red', overdueImpediments: 1 }),
      portfolioRow('alpha'),
      portfolioRow('never', { lastCheckinAt: null }),
      portfolioRow('done', { lifecycle: 'completed', lastCheckinAt: null }),
    ];
    expect(sortPortfolio(rows, NOW).map((r) => r.key)).toEqual(['a-red', 'b-red', 'overdue', 'amber', 'never', 'stale', 'alpha', 'done', 'zeta']);
    expect(rows[0]?.key).toBe('zeta'); // not sorted in place
  });

  it('flags what needs attention', () => {
    expect(rowAttention(portfolioRow('a', { overdueImpediments: 2, lastCheckinAt: null }), NOW)).toEqual(['2 overdue', 'no check-in']);
    expect(rowAttention(portfolioRow('a', { lastCheckinAt: daysAgo(8) }), NOW)).toEqual(['check-in stale']);
    expect(rowAttention(portfolioRow('a', { lifecycle: 'paused', lastCheckinAt: null }), NOW)).toEqual(['paused']);
    expect(rowAttention(portfolioRow('a'), NOW)).toEqual([]);
    expect(isCheckinStale(daysAgo(7), NOW)).toBe(false);
  });
});

describe('pushPullShare', () => {
  const row = (origin: 'pull' | 'push', iso: string) => ({ origin, createdAt: at(iso) });
  it('compares this quarter with the last', () => {
    const thisQuarter = [row('pull', '2026-10-02T10:00:00Z'), row('pull', '2026-11-02T10:00:00Z'), row('pull', '2026-12-01T10:00:00Z'), row('push', '2026-12-02T10:00:00Z'), row('push', '2026-11-05T10:00:00Z')];
    const lastQuarter = [row('pull', '2026-08-01T10:00:00Z'), row('push', '2026-07-01T10:00:00Z'), row('push', '2026-09-01T10:00:00Z'), row('push', '2026-09-02T10:00:00Z')];
    const rows = [...thisQuarter, ...lastQuarter, row('pull', '2025-12-01T10:00:00Z')];
    expect(pushPullShare(rows, NOW, TZ)).toEqual({
      thisQuarter: { label: 'Q4 2026', pull: 3, push: 2, pullShare: 60 },
      lastQuarter: { label: 'Q3 2026', pull: 1, push: 3, pullShare: 25 },
    });
  });
  it('crosses the year boundary and has no share without engagements', () => {
    const share = pushPullShare([row('push', '2026-12-15T10:00:00Z')], at('2027-01-15T10:00:00Z'), TZ);
    expect(share.thisQuarter).toEqual({ label: 'Q1 2027', pull: 0, push: 0, pullShare: null });
    expect(share.lastQuarter).toEqual({ label: 'Q4 2026', pull: 0, push: 1, pullShare: 0 });
  });
  it('reads quarters in the workspace time zone', () => {
    const rows = [row('pull', '2026-09-30T23:30:00Z')]; // 1 October 01:30 in Berlin
    expect(pushPullShare(rows, NOW, TZ).thisQuarter.pull).toBe(1);
    expect(pushPullShare(rows, NOW, 'UTC').lastQuarter.pull).toBe(1);
    // New Year's Eve 23:30 UTC is already 2027 in Berlin.
    expect(pushPullShare([], at('2026-12-31T23:30:00Z'), TZ).thisQuarter.label).toBe('Q1 2027');
    expect(pushPullShare([], at('2026-12-31T23:30:00Z'), 'UTC').thisQuarter.label).toBe('Q4 2026');
  });
});
