import {
  CHECKIN_STALE_DAYS,
  checkinsOwed,
  daysWithoutCheckin,
  movement,
  outcomeTrend,
  progressPercent,
} from '../../../src/domain/checkinRules';
import type { Outcome } from '../../../src/domain/types';
import { checkin, engagement } from '../slack/checkinFixtures';

const DAY = 86_400_000;
const lower = (baseline: number, target: number): Outcome => ({ text: 'Lead time', metric: { baseline, target, current: null, unit: 'days' } });
const outcomes: Outcome[] = [
  lower(21, 5), // 0: lower is better
  { text: 'Deploys a week', metric: { baseline: 1, target: 10, current: null, unit: '' } }, // 1: higher is better
  { text: 'Team runs its own retros', metric: null }, // 2: no metric
  { text: 'Escaped defects', metric: { baseline: 3, target: 3, current: null, unit: '' } }, // 3: hold the line
];
const values = (...v: [number, number][]) => checkin({ outcomeValues: v.map(([position, value]) => ({ position, value })) });

describe('outcomeTrend', () => {
  it('counts nothing without a latest check-in', () => {
    expect(outcomeTrend(values([0, 10]), null, outcomes)).toEqual({ improving: 0, worsening: 0, flat: 0 });
  });

  it('compares with the previous check-in, in each metric’s own direction', () => {
    const prev = values([0, 14], [1, 4], [3, 3]);
    expect(outcomeTrend(prev, values([0, 12], [1, 3], [3, 3]), outcomes)).toEqual({ improving: 1, worsening: 1, flat: 1 });
    expect(outcomeTrend(prev, values([0, 16], [1, 6], [3, 5]), outcomes)).toEqual({ improving: 1, worsening: 2, flat: 0 });
  });

  it('starts from the baseline when there is no previous value', () => {
    expect(outcomeTrend(null, values([0, 21], [1, 2]), outcomes)).toEqual({ improving: 1, worsening: 0, flat: 1 });
    expect(outcomeTrend(values([1, 5]), values([0, 25]), outcomes)).toEqual({ improving: 0, worsening: 1, flat: 0 });
  });

  it('ignores outcomes without a metric, unreported ones and positions that do not exist', () => {
    expect(outcomeTrend(null, values([2, 99], [7, 1], [-1, 4]), outcomes)).toEqual({ improving: 0, worsening: 0, flat: 0 });
  });

  it('treats moving past the target in the right direction as improving', () => {
    const leadTime = { baseline: 21, target: 5, current: null, unit: 'days' };
    expect(movement(leadTime, 6, 3)).toBe(1);
    expect(movement(leadTime, 3, 6)).toBe(-1);
    const hold = { baseline: 3, target: 3, current: null, unit: '' };
    expect(movement(hold, 5, 1)).toBe(0); // both 2 away
    expect(movement(hold, 5, 2)).toBe(1);
  });
});

describe('progressPercent', () => {
  it('is the share of the way from baseline to target', () => {
    const m = { baseline: 21, target: 5, current: null, unit: 'days' };
    expect(progressPercent(m, 21)).toBe(0);
    expect(progressPercent(m, 13)).toBe(50);
    expect(progressPercent(m, 5)).toBe(100);
    expect(progressPercent(m, 25)).toBe(-25);
    expect(progressPercent({ ...m, target: 21 }, 10)).toBeNull();
  });
});

describe('checkinsOwed', () => {
  const now = new Date('2026-11-30T10:00:00Z');
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
  const a = engagement({ id: 1, sponsorId: 'USPONSOR', coachIds: ['UCOACH1'] });
  const b = engagement({ id: 2, sponsorId: 'UOTHER', coachIds: ['UCOACH1', 'UCOACH2'] });
  const c = engagement({ id: 3, sponsorId: 'UOTHER', coachIds: ['UCOACH2'] });

  it('lists active engagements where the user is sponsor or coach and nobody checked in for 7 days', () => {
    const latest = new Map<number, Date | null>([[1, daysAgo(8)], [2, daysAgo(9)], [3, daysAgo(30)]]);
    expect(checkinsOwed([a, b, c], latest, 'UCOACH1', now).map((e) => e.id)).toEqual([2, 1]); // longest waiting first
    expect(checkinsOwed([a, b, c], latest, 'USPONSOR', now).map((e) => e.id)).toEqual([1]);
    expect(checkinsOwed([a, b, c], latest, 'UNOBODY', now)).toEqual([]);
  });

  it('owes one from exactly 7 days, not before', () => {
    expect(CHECKIN_STALE_DAYS).toBe(7);
    expect(checkinsOwed([a], new Map([[1, daysAgo(7)]]), 'UCOACH1', now)).toHaveLength(1);
    expect(checkinsOwed([a], new Map([[1, new Date(daysAgo(7).getTime() + 1)]]), 'UCOACH1', now)).toHaveLength(0);
  });

  it('counts from the engagement’s creation when there was never a check-in (missing or null)', () => {
    const fresh = engagement({ id: 4, coachIds: ['UCOACH1'], createdAt: daysAgo(3) });
    const old = engagement({ id: 5, coachIds: ['UCOACH1'], createdAt: daysAgo(10) });
    expect(checkinsOwed([fresh, old], new Map([[4, null]]), 'UCOACH1', now).map((e) => e.id)).toEqual([5]);
    expect(daysWithoutCheckin(old, null, now)).toBe(10);
    expect(daysWithoutCheckin(old, daysAgo(2.5), now)).toBe(2);
    expect(daysWithoutCheckin(old, new Date(now.getTime() + DAY), now)).toBe(0);
  });

  it('skips paused, completed and cancelled engagements', () => {
    const latest = new Map<number, Date | null>([[1, daysAgo(30)]]);
    for (const lifecycle of ['paused', 'completed', 'cancelled'] as const) {
      expect(checkinsOwed([{ ...a, lifecycle }], latest, 'UCOACH1', now)).toEqual([]);
    }
  });
});
