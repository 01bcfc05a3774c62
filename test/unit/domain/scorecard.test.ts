import { clockOutcome, computeScorecard, formatMinutes, scorecardSummary } from '../../../src/domain/scorecard';
import type { EscalationClock, ScorecardRow } from '../../../src/domain/impedimentTypes';
import type { EscalationLevel } from '../../../src/domain/types';

const levels: EscalationLevel[] = [
  { level: 2, name: 'Program', contactIds: ['UPROGRAM'], responseTime: 3, responseUnit: 'business_days' },
  { level: 1, name: 'Team', contactIds: ['UCOACH1'], responseTime: 4, responseUnit: 'business_hours' },
  { level: 3, name: 'Executive', contactIds: ['USPONSOR'], responseTime: 5, responseUnit: 'business_days' },
];

const T0 = Date.parse('2026-11-23T09:00:00Z');
const min = (m: number) => new Date(T0 + m * 60_000);
const NOW = min(10_000);

/** A clock started at T0, due 240 minutes later; times in minutes after T0. */
function clock(level: number, o: { ack?: number; ended?: number; due?: number; start?: number } = {}): EscalationClock {
  return {
    impedimentId: 1,
    level,
    startedAt: min(o.start ?? 0),
    dueAt: min(o.due ?? 240),
    acknowledgedAt: o.ack === undefined ? null : min(o.ack),
    endedAt: o.ended === undefined ? null : min(o.ended),
    automatic: false,
  };
}

describe('clockOutcome', () => {
  it('is in time when acknowledged at or before the due time', () => {
    expect(clockOutcome(clock(1, { ack: 10 }), NOW)).toBe('inTime');
    expect(clockOutcome(clock(1, { ack: 240 }), NOW)).toBe('inTime');
  });
  it('is late when acknowledged after the due time, even if the clock ended', () => {
    expect(clockOutcome(clock(1, { ack: 241 }), NOW)).toBe('late');
    expect(clockOutcome(clock(1, { ack: 300, ended: 400 }), NOW)).toBe('late');
  });
  it('is never when not acknowledged and ended or overdue', () => {
    expect(clockOutcome(clock(1, { ended: 100 }), min(50))).toBe('never');
    expect(clockOutcome(clock(1), min(241))).toBe('never');
  });
  it('is still running when not acknowledged, not ended and not yet due', () => {
    expect(clockOutcome(clock(1), min(100))).toBe('running');
    expect(clockOutcome(clock(1), min(240))).toBe('running');
  });
});

describe('computeScorecard', () => {
  it('gives one row per level in level order, zero when nothing happened', () => {
    const rows = computeScorecard(levels, [], NOW);
    expect(rows).toEqual([
      { level: 1, name: 'Team', inTime: 0, late: 0, never: 0, medianMinutesToAck: null },
      { level: 2, name: 'Program', inTime: 0, late: 0, never: 0, medianMinutesToAck: null },
      { level: 3, name: 'Executive', inTime: 0, late: 0, never: 0, medianMinutesToAck: null },
    ]);
  });

  it('counts in time, late and never per level, and leaves running clocks out', () => {
    const now = min(300);
    const clocks = [
      clock(1, { ack: 30 }),
      clock(1, { ack: 240 }),
      clock(1, { ack: 290 }), // late
      clock(1, { ended: 120 }), // escalated further without acknowledgement
      clock(1), // overdue at 300
      clock(1, { start: 200, due: 500 }), // running
      clock(2, { start: 100, due: 1000, ack: 130 }),
      clock(2, { start: 250, due: 1000 }), // running
      clock(7, { ack: 5 }), // a level no longer in the line
    ];
    const rows = computeScorecard(levels, clocks, now);
    expect(rows[0]).toEqual({ level: 1, name: 'Team', inTime: 2, late: 1, never: 2, medianMinutesToAck: 240 });
    expect(rows[1]).toEqual({ level: 2, name: 'Program', inTime: 1, late: 0, never: 0, medianMinutesToAck: 30 });
    expect(rows[2]).toEqual({ level: 3, name: 'Executive', inTime: 0, late: 0, never: 0, medianMinutesToAck: null });
    expect(rows).toHaveLength(3);
  });

  it('takes the mean of the middle two for an even count, rounded to minutes', () => {
    const clocks = [clock(1, { ack: 10 }), clock(1, { ack: 21 }), clock(1, { ack: 600 }), clock(1, { ack: 2 })];
    expect(computeScorecard(levels, clocks, NOW)[0]?.medianMinutesToAck).toBe(16); // (10 + 21) / 2 = 15.5
  });

  it('never counts a negative time to acknowledge', () => {
    const clocks = [clock(1, { start: 100, ack: 90 })];
    expect(computeScorecard(levels, clocks, NOW)[0]).toMatchObject({ inTime: 1, medianMinutesToAck: 0 });
  });
});

describe('formatMinutes', () => {
  it.each([
    [0, '0m'],
    [45, '45m'],
    [60, '1h'],
    [130, '2h 10m'],
    [1440, '1d'],
    [1620, '1d 3h'],
  ])('%d → %s', (m, expected) => {
    expect(formatMinutes(m)).toBe(expected);
  });
});

describe('scorecardSummary', () => {
  it('writes one line per level', () => {
    const rows: ScorecardRow[] = [
      { level: 1, name: 'Team', inTime: 4, late: 1, never: 0, medianMinutesToAck: 130 },
      { level: 2, name: 'Program', inTime: 0, late: 0, never: 2, medianMinutesToAck: null },
    ];
    expect(scorecardSummary(rows)).toBe(
      'Team: 4 in time · 1 late · 0 never · median 2h 10m\nProgram: 0 in time · 0 late · 2 never · median –',
    );
    expect(scorecardSummary([])).toBe('');
  });
});
