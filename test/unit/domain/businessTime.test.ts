import {
  WORKDAY_END_HOUR,
  WORKDAY_START_HOUR,
  addBusinessTime,
  businessDaysBetween,
  formatAge,
  isBusinessDay,
  isWorkingHours,
  localDate,
} from '../../../src/domain/businessTime';
import { FixedClock } from '../../../src/lib/clock';
import { addBusinessDays } from 'date-fns';
import { TZDate } from '@date-fns/tz';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('working hours constants', () => {
  it('are 09:00 to 17:00', () => {
    expect([WORKDAY_START_HOUR, WORKDAY_END_HOUR]).toEqual([9, 17]);
  });
});

describe('addBusinessTime: business days', () => {
  it('keeps the wall-clock time on weekdays and skips the weekend from a Friday afternoon', () => {
    // Mon 2026-11-23 10:00 CET → Wed 10:00
    expect(iso(addBusinessTime(at('2026-11-23T09:00:00Z'), 2, 'business_days', BERLIN))).toBe('2026-11-25T09:00:00.000Z');
    // Fri 2026-11-27 15:00 CET → Tue 2026-12-01 15:00 CET
    expect(iso(addBusinessTime(at('2026-11-27T14:00:00Z'), 2, 'business_days', BERLIN))).toBe('2026-12-01T14:00:00.000Z');
    // Thu + 2 → Mon
    expect(iso(addBusinessTime(at('2026-11-26T14:00:00Z'), 2, 'business_days', BERLIN))).toBe('2026-11-30T14:00:00.000Z');
    // Wed + 5 → next Wed; Mon + 10 → Mon two weeks later
    expect(iso(addBusinessTime(at('2026-11-25T08:00:00Z'), 5, 'business_days', BERLIN))).toBe('2026-12-02T08:00:00.000Z');
    expect(iso(addBusinessTime(at('2026-11-23T08:00:00Z'), 10, 'business_days', BERLIN))).toBe('2026-12-07T08:00:00.000Z');
  });

  it('keeps a late-evening time, counted in the local calendar rather than UTC', () => {
    // Fri 2026-11-27 23:30 CET is 22:30Z Friday; + 1 → Mon 23:30 CET
    expect(iso(addBusinessTime(at('2026-11-27T22:30:00Z'), 1, 'business_days', BERLIN))).toBe('2026-11-30T22:30:00.000Z');
    // Sat 00:30 CET is still Friday in UTC, but Saturday in Berlin: counts from Monday 09:00
    expect(iso(addBusinessTime(at('2026-11-27T23:30:00Z'), 1, 'business_days', BERLIN))).toBe('2026-12-01T08:00:00.000Z');
  });

  it('counts a weekend start from Monday 09:00 local', () => {
    const saturday = at('2026-11-28T13:00:00Z'); // Sat 14:00 CET
    expect(iso(addBusinessTime(saturday, 0, 'business_days', BERLIN))).toBe('2026-11-30T08:00:00.000Z');
    expect(iso(addBusinessTime(saturday, 1, 'business_days', BERLIN))).toBe('2026-12-01T08:00:00.000Z');
    const sunday = at('2026-11-29T21:00:00Z'); // Sun 22:00 CET
    expect(iso(addBusinessTime(sunday, 2, 'business_days', BERLIN))).toBe('2026-12-02T08:00:00.000Z');
  });

  it('is right across DST in Berlin, both directions', () => {
    // autumn: Fri 2026-10-23 15:00 CEST (+02) → Tue 2026-10-27 15:00 CET (+01)
    expect(iso(addBusinessTime(at('2026-10-23T13:00:00Z'), 2, 'business_days', BERLIN))).toBe('2026-10-27T14:00:00.000Z');
    // spring: Fri 2027-03-26 15:00 CET (+01) → Tue 2027-03-30 15:00 CEST (+02)
    expect(iso(addBusinessTime(at('2027-03-26T14:00:00Z'), 2, 'business_days', BERLIN))).toBe('2027-03-30T13:00:00.000Z');
  });

  it('is right across DST in New York, both directions', () => {
    // autumn: Fri 2026-10-30 15:00 EDT (-04) → Tue 2026-11-03 15:00 EST (-05)
    expect(iso(addBusinessTime(at('2026-10-30T19:00:00Z'), 2, 'business_days', NEW_YORK))).toBe('2026-11-03T20:00:00.000Z');
    // spring: Fri 2027-03-12 15:00 EST (-05) → Tue 2027-03-16 15:00 EDT (-04)
    expect(iso(addBusinessTime(at('2027-03-12T20:00:00Z'), 2, 'business_days', NEW_YORK))).toBe('2027-03-16T19:00:00.000Z');
  });

  it('refuses negative, fractional and non-finite values, bad dates and unknown zones', () => {
    const start = at('2026-11-23T09:00:00Z');
    expect(() => addBusinessTime(start, -1, 'business_days', BERLIN)).toThrow(RangeError);
    expect(() => addBusinessTime(start, 1.5, 'business_days', BERLIN)).toThrow(/whole number/);
    expect(() => addBusinessTime(start, Number.NaN, 'business_hours', BERLIN)).toThrow(RangeError);
    expect(() => addBusinessTime(new Date(Number.NaN), 1, 'business_days', BERLIN)).toThrow(/not a valid date/);
    expect(() => addBusinessTime(start, 1, 'business_days', 'Mars/Olympus')).toThrow(/Unknown time zone: Mars\/Olympus/);
  });
});

describe('addBusinessTime: business hours', () => {
  it('counts inside one working day, up to closing time', () => {
    // Tue 2026-11-24 10:00 CET + 3h → 13:00; 09:00 + 8h → 17:00 the same day
    expect(iso(addBusinessTime(at('2026-11-24T09:00:00Z'), 3, 'business_hours', BERLIN))).toBe('2026-11-24T12:00:00.000Z');
    expect(iso(addBusinessTime(at('2026-11-24T08:00:00Z'), 8, 'business_hours', BERLIN))).toBe('2026-11-24T16:00:00.000Z');
    expect(iso(addBusinessTime(at('2026-11-24T09:00:00Z'), 0.5, 'business_hours', BERLIN))).toBe('2026-11-24T09:30:00.000Z');
  });

  it('spans a night', () => {
    // Tue 16:00 CET + 4h → 1h Tue + 3h Wed → Wed 12:00
    expect(iso(addBusinessTime(at('2026-11-24T15:00:00Z'), 4, 'business_hours', BERLIN))).toBe('2026-11-25T11:00:00.000Z');
  });

  it('starts outside working hours at the next opening', () => {
    // Tue 07:00 CET + 1h → 10:00; Tue 20:00 + 2h → Wed 11:00; Tue 17:00 sharp + 1h → Wed 10:00
    expect(iso(addBusinessTime(at('2026-11-24T06:00:00Z'), 1, 'business_hours', BERLIN))).toBe('2026-11-24T09:00:00.000Z');
    expect(iso(addBusinessTime(at('2026-11-24T19:00:00Z'), 2, 'business_hours', BERLIN))).toBe('2026-11-25T10:00:00.000Z');
    expect(iso(addBusinessTime(at('2026-11-24T16:00:00Z'), 1, 'business_hours', BERLIN))).toBe('2026-11-25T09:00:00.000Z');
    // Sat 11:00 CET + 8h → Mon 17:00; + 0h → Mon 09:00
    expect(iso(addBusinessTime(at('2026-11-28T10:00:00Z'), 8, 'business_hours', BERLIN))).toBe('2026-11-30T16:00:00.000Z');
    expect(iso(addBusinessTime(at('2026-11-28T10:00:00Z'), 0, 'business_hours', BERLIN))).toBe('2026-11-30T08:00:00.000Z');
  });

  it('spans a weekend and whole weeks', () => {
    // Fri 2026-11-27 16:00 CET + 4h → 1h Fri + 3h Mon → Mon 12:00
    expect(iso(addBusinessTime(at('2026-11-27T15:00:00Z'), 4, 'business_hours', BERLIN))).toBe('2026-11-30T11:00:00.000Z');
    // Mon 09:00 + 40h → Fri 17:00; + 41h → next Mon 10:00; + 200h → 5 weeks later, Fri 17:00
    const monday = at('2026-11-23T08:00:00Z');
    expect(iso(addBusinessTime(monday, 40, 'business_hours', BERLIN))).toBe('2026-11-27T16:00:00.000Z');
    expect(iso(addBusinessTime(monday, 41, 'business_hours', BERLIN))).toBe('2026-11-30T09:00:00.000Z');
    expect(iso(addBusinessTime(monday, 200, 'business_hours', BERLIN))).toBe('2026-12-25T16:00:00.000Z');
  });

  it('spans DST weekends in New York and Berlin', () => {
    // Fri 2026-10-30 15:00 EDT + 4h → 2h Fri + 2h Mon → Mon 2026-11-02 11:00 EST
    expect(iso(addBusinessTime(at('2026-10-30T19:00:00Z'), 4, 'business_hours', NEW_YORK))).toBe('2026-11-02T16:00:00.000Z');
    // Fri 2027-03-12 16:00 EST + 3h → Mon 2027-03-15 11:00 EDT
    expect(iso(addBusinessTime(at('2027-03-12T21:00:00Z'), 3, 'business_hours', NEW_YORK))).toBe('2027-03-15T15:00:00.000Z');
    // Fri 2026-10-23 16:00 CEST + 3h → Mon 2026-10-26 11:00 CET
    expect(iso(addBusinessTime(at('2026-10-23T14:00:00Z'), 3, 'business_hours', BERLIN))).toBe('2026-10-26T10:00:00.000Z');
    // Fri 2027-03-26 16:00 CET + 3h → Mon 2027-03-29 11:00 CEST
    expect(iso(addBusinessTime(at('2027-03-26T15:00:00Z'), 3, 'business_hours', BERLIN))).toBe('2027-03-29T09:00:00.000Z');
  });
});

describe('businessDaysBetween', () => {
  it('counts whole weekdays elapsed, skipping weekends', () => {
    const friday = at('2026-11-27T14:00:00Z'); // Fri 15:00 CET
    expect(businessDaysBetween(friday, at('2026-11-30T13:59:00Z'), BERLIN)).toBe(0); // Mon 14:59
    expect(businessDaysBetween(friday, at('2026-11-30T14:00:00Z'), BERLIN)).toBe(1); // Mon 15:00
    expect(businessDaysBetween(friday, at('2026-12-01T13:59:59Z'), BERLIN)).toBe(1);
    expect(businessDaysBetween(friday, at('2026-12-01T14:00:00Z'), BERLIN)).toBe(2);
    expect(businessDaysBetween(friday, at('2026-11-29T20:00:00Z'), BERLIN)).toBe(0); // Sunday
    expect(businessDaysBetween(at('2026-11-23T08:00:00Z'), at('2026-12-07T08:00:00Z'), BERLIN)).toBe(10);
  });

  it('agrees with addBusinessTime across DST', () => {
    const friday = at('2026-10-30T19:00:00Z'); // Fri 15:00 EDT
    expect(businessDaysBetween(friday, at('2026-11-03T19:59:00Z'), NEW_YORK)).toBe(1); // Tue 14:59 EST
    expect(businessDaysBetween(friday, at('2026-11-03T20:00:00Z'), NEW_YORK)).toBe(2); // Tue 15:00 EST
  });

  it('counts a weekend start from Monday 09:00 and is 0 when b is not after a', () => {
    const saturday = at('2026-11-28T10:00:00Z');
    expect(businessDaysBetween(saturday, at('2026-11-30T07:00:00Z'), BERLIN)).toBe(0);
    expect(businessDaysBetween(saturday, at('2026-12-01T07:59:00Z'), BERLIN)).toBe(0);
    expect(businessDaysBetween(saturday, at('2026-12-01T08:00:00Z'), BERLIN)).toBe(1);
    expect(businessDaysBetween(at('2026-12-01T08:00:00Z'), saturday, BERLIN)).toBe(0);
  });
});

describe('the sweep with an injected clock', () => {
  /** Moves the clock in 15-minute steps until the due time has passed; returns when it first did. */
  function firstOverdue(clock: FixedClock, dueAt: Date): Date {
    while (!(clock.now().getTime() > dueAt.getTime())) clock.advance(15 * 60_000);
    return clock.now();
  }

  it.each([
    ['Berlin, autumn', BERLIN, '2026-10-23T13:00:00Z', '2026-10-27', '2026-10-27T14:15:00.000Z'],
    ['Berlin, spring', BERLIN, '2027-03-26T14:00:00Z', '2027-03-30', '2027-03-30T13:15:00.000Z'],
    ['New York, autumn', NEW_YORK, '2026-10-30T19:00:00Z', '2026-11-03', '2026-11-03T20:15:00.000Z'],
    ['New York, spring', NEW_YORK, '2027-03-12T20:00:00Z', '2027-03-16', '2027-03-16T19:15:00.000Z'],
  ])('escalates a Friday 15:00 impediment with 2 business days on Tuesday after 15:00 (%s)', (_, tz, start, day, overdue) => {
    const clock = new FixedClock(at(start));
    const dueAt = addBusinessTime(clock.now(), 2, 'business_days', tz);
    expect(localDate(dueAt, tz)).toBe(day);
    expect(businessDaysBetween(at(start), clock.now(), tz)).toBe(0);
    expect(iso(firstOverdue(clock, dueAt))).toBe(overdue);
    expect(businessDaysBetween(at(start), clock.now(), tz)).toBe(2);
  });
});

describe('isBusinessDay, isWorkingHours, localDate', () => {
  it('use the local calendar, not UTC', () => {
    const saturdayInBerlin = at('2026-10-23T22:30:00Z'); // Fri in UTC, Sat 00:30 CEST
    expect(isBusinessDay(saturdayInBerlin, 'UTC')).toBe(true);
    expect(isBusinessDay(saturdayInBerlin, BERLIN)).toBe(false);
    expect(localDate(saturdayInBerlin, BERLIN)).toBe('2026-10-24');
    expect(localDate(saturdayInBerlin, 'UTC')).toBe('2026-10-23');
    expect(localDate(saturdayInBerlin, NEW_YORK)).toBe('2026-10-23');
    expect(isBusinessDay(at('2026-11-23T12:00:00Z'), BERLIN)).toBe(true);
    expect(isBusinessDay(at('2026-11-29T12:00:00Z'), BERLIN)).toBe(false);
  });

  it('treats 09:00 as open and 17:00 as closed', () => {
    expect(isWorkingHours(at('2026-11-24T07:59:00Z'), BERLIN)).toBe(false); // 08:59
    expect(isWorkingHours(at('2026-11-24T08:00:00Z'), BERLIN)).toBe(true); // 09:00
    expect(isWorkingHours(at('2026-11-24T15:59:00Z'), BERLIN)).toBe(true); // 16:59
    expect(isWorkingHours(at('2026-11-24T16:00:00Z'), BERLIN)).toBe(false); // 17:00
    expect(isWorkingHours(at('2026-11-28T10:00:00Z'), BERLIN)).toBe(false); // Saturday 11:00
  });
});

describe('formatAge', () => {
  const from = at('2026-11-23T09:00:00Z');
  it.each([
    ['2026-11-26T10:00:00Z', '3 days'],
    ['2026-11-24T09:00:00Z', '1 day'],
    ['2026-11-23T14:59:00Z', '5 hours'],
    ['2026-11-23T10:00:00Z', '1 hour'],
    ['2026-11-23T09:12:30Z', '12 minutes'],
    ['2026-11-23T09:01:00Z', '1 minute'],
    ['2026-11-23T09:00:59Z', 'less than a minute'],
    ['2026-11-22T09:00:00Z', 'less than a minute'],
  ])('%s → %s', (to, expected) => {
    expect(formatAge(from, at(to))).toBe(expected);
  });
});

describe('cross-checks against independent references', () => {
  /** A tiny deterministic PRNG so failures are reproducible. */
  function rng(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
      return s / 2_147_483_648;
    };
  }
  const QUARTER = 15 * 60_000;
  // 2026-10-01 to 2027-04-30 covers both DST changes in both zones.
  const from = Date.parse('2026-10-01T00:00:00Z');
  const span = Date.parse('2027-04-30T00:00:00Z') - from;

  it('business hours match counting working quarter-hours one by one', () => {
    const random = rng(42);
    for (let i = 0; i < 150; i += 1) {
      const tz = i % 2 === 0 ? BERLIN : NEW_YORK;
      const start = new Date(from + Math.floor((random() * span) / QUARTER) * QUARTER);
      const quarters = 1 + Math.floor(random() * 4 * 60);
      let t = start.getTime();
      for (let left = quarters; left > 0; t += QUARTER) if (isWorkingHours(new Date(t), tz)) left -= 1;
      expect(iso(addBusinessTime(start, quarters / 4, 'business_hours', tz))).toBe(iso(new Date(t)));
    }
  });

  it('business days from a weekday match date-fns addBusinessDays on a TZDate', () => {
    const random = rng(7);
    for (let i = 0; i < 150; i += 1) {
      const tz = i % 2 === 0 ? BERLIN : NEW_YORK;
      const start = new Date(from + Math.floor((random() * span) / QUARTER) * QUARTER);
      if (!isBusinessDay(start, tz)) continue;
      const n = Math.floor(random() * 30);
      const expected = addBusinessDays(new TZDate(start.getTime(), tz), n);
      expect(iso(addBusinessTime(start, n, 'business_days', tz))).toBe(iso(new Date(expected.getTime())));
    }
  });
});
