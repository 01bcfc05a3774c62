import { duePulse, median, minResponses, pulseHealthReason, pulseResults, pulseSchedule, PULSE_MIN_RESPONSES_FLOOR, type PulseAnswer, type PulseScores } from '../../../src/domain/pulseRules';

const a = (scores: PulseScores, comment: string | null = null): PulseAnswer => ({ scores, comment });
const same = (n: number, scores: PulseScores, comment: string | null = null) => Array.from({ length: n }, () => a(scores, comment));
const keep = <T>(xs: T[]) => [...xs];

describe('pulse thresholds', () => {
  it('defaults to 5 and never goes below 3', () => {
    expect(minResponses(undefined)).toBe(5);
    expect(minResponses(2)).toBe(PULSE_MIN_RESPONSES_FLOOR);
    expect(minResponses(0)).toBe(3);
    expect(minResponses(7)).toBe(7);
    expect(minResponses(4.5)).toBe(5);
  });

  it('shows nothing but the count below the threshold, comments included', () => {
    const r = pulseResults(same(4, [5, 5, 5, 5, 5], 'only me'), null, 5);
    expect(r).toEqual({ shown: false, responses: 4, needed: 5 });
  });

  it('shows medians, distributions and comments from the threshold', () => {
    const answers = [a([1, 2, 3, 4, 5], 'x'), a([2, 2, 3, 4, 5]), a([3, 2, 4, 4, 1], 'y'), a([4, 3, 4, 5, 1]), a([5, 3, 5, 5, 1])];
    const r = pulseResults(answers, null, 5, keep);
    if (!r.shown) throw new Error('not shown');
    expect(r.statements.map((s) => s.median)).toEqual([3, 2, 4, 4, 1]);
    expect(r.statements[0]!.distribution).toEqual([1, 1, 1, 1, 1]);
    expect(r.statements[1]!.distribution).toEqual([0, 3, 2, 0, 0]);
    expect(r.safety).toBe(4);
    // Buy-in per answer: mean of statements 1, 2 and 4 → 2.33, 2.67, 3, 4, 4.33; median 3.
    expect(r.buyIn).toBe(3);
    expect(r.comments).toEqual(['x', 'y']);
    expect(r.statements.every((s) => s.change === null)).toBe(true);
  });

  it('the median of an even count is the mean of the middle two', () => {
    expect(median([1, 2, 4, 5])).toBe(3);
    expect(median([4, 5])).toBe(4.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('pulse trend and health', () => {
  it('compares with the previous pulse only when that one was shown', () => {
    const before = same(5, [4, 4, 5, 4, 3]);
    const now = same(5, [4, 4, 3, 2, 3]);
    const r = pulseResults(now, before, 5);
    if (!r.shown) throw new Error('not shown');
    expect(r.safetyChange).toBe(-2);
    expect(r.statements[3]!.change).toBe(-2);
    expect(r.buyInChange).toBe(-0.7);
    const hidden = pulseResults(now, same(4, [5, 5, 5, 5, 5]), 5);
    expect(hidden.shown && hidden.safetyChange).toBeNull();
  });

  it('turns health amber when safety or buy-in falls by a point or more', () => {
    expect(pulseHealthReason(pulseResults(same(5, [4, 4, 3, 4, 4]), same(5, [4, 4, 4, 4, 4]), 5))).toBe('team pulse: safety fell 1 (now 3 of 5)');
    expect(pulseHealthReason(pulseResults(same(5, [3, 3, 4, 3, 4]), same(5, [4, 4, 4, 4, 4]), 5))).toBe('team pulse: buy-in fell 1 (now 3 of 5)');
    expect(pulseHealthReason(pulseResults(same(5, [5, 5, 5, 5, 5]), same(5, [4, 4, 4, 4, 4]), 5))).toBeNull();
    expect(pulseHealthReason(pulseResults(same(4, [1, 1, 1, 1, 1]), same(5, [5, 5, 5, 5, 5]), 5))).toBeNull();
    expect(pulseHealthReason(null)).toBeNull();
  });
});

describe('pulse schedule', () => {
  const tz = 'Europe/Berlin';
  const monday = new Date('2026-11-02T08:00:00Z');

  it('reminds after 3 business days and closes after 5 (weekends not counted)', () => {
    const thursday = new Date('2026-11-05T14:00:00Z');
    expect(pulseSchedule(thursday, tz)).toEqual({ remindAt: new Date('2026-11-10T14:00:00Z'), closesAt: new Date('2026-11-12T14:00:00Z') });
    expect(pulseSchedule(monday, tz).closesAt).toEqual(new Date('2026-11-09T08:00:00Z'));
  });

  const e = { lifecycle: 'active', createdAt: monday, reviewDate: '2026-12-14', closedAt: null, occurrences: [] as string[], hasOpen: false };

  it('sends the baseline a week after kickoff, once', () => {
    expect(duePulse(e, new Date('2026-11-09T07:59:00Z'), '2026-11-09')).toBeNull();
    expect(duePulse(e, new Date('2026-11-09T08:00:00Z'), '2026-11-09')).toEqual({ reason: 'baseline', occurrence: 'baseline' });
    expect(duePulse({ ...e, occurrences: ['baseline'] }, new Date('2026-11-20T08:00:00Z'), '2026-11-20')).toBeNull();
  });

  it('sends one on the review date, and one at close; never while one is open', () => {
    const had = { ...e, occurrences: ['baseline'] };
    expect(duePulse(had, new Date('2026-12-14T08:00:00Z'), '2026-12-14')).toEqual({ reason: 'review', occurrence: 'review:2026-12-14' });
    expect(duePulse({ ...had, hasOpen: true }, new Date('2026-12-14T08:00:00Z'), '2026-12-14')).toBeNull();
    expect(duePulse({ ...had, occurrences: ['baseline', 'review:2026-12-14'] }, new Date('2026-12-15T08:00:00Z'), '2026-12-15')).toBeNull();
    // A review date moved later is a new occurrence.
    expect(duePulse({ ...had, reviewDate: '2027-01-11', occurrences: ['baseline', 'review:2026-12-14'] }, new Date('2027-01-11T09:00:00Z'), '2027-01-11')).toEqual({ reason: 'review', occurrence: 'review:2027-01-11' });
    const closed = { ...had, lifecycle: 'completed', closedAt: new Date('2026-12-20T10:00:00Z') };
    expect(duePulse(closed, new Date('2026-12-20T10:01:00Z'), '2026-12-20')).toEqual({ reason: 'closing', occurrence: 'closing' });
    expect(duePulse({ ...closed, occurrences: ['baseline', 'closing'] }, new Date('2026-12-21T10:00:00Z'), '2026-12-21')).toBeNull();
    expect(duePulse({ ...closed, lifecycle: 'cancelled' }, new Date('2026-12-20T10:01:00Z'), '2026-12-20')).toBeNull();
  });

  it('leaves engagements older than the lookback alone (an upgrade does not pulse every old engagement)', () => {
    const old = { ...e, createdAt: new Date('2026-06-01T08:00:00Z'), reviewDate: '2026-09-01' };
    expect(duePulse(old, new Date('2026-11-20T08:00:00Z'), '2026-11-20')).toBeNull();
    expect(duePulse({ ...old, lifecycle: 'completed', closedAt: new Date('2026-07-01T08:00:00Z') }, new Date('2026-11-20T08:00:00Z'), '2026-11-20')).toBeNull();
  });
});
