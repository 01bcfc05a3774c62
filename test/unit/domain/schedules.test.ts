import { TZDate } from '@date-fns/tz';
import { localDate } from '../../../src/domain/businessTime';
import {
  DEFAULT_DIGEST,
  digestWindow,
  formatDigestSchedule,
  nextDigestAt,
  parseDigestSchedule,
  reminderDue,
  reminderZone,
  snoozeUntil,
  type ReminderInput,
} from '../../../src/domain/schedules';

const BERLIN = 'Europe/Berlin';
const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);
const local = (d: Date, tz: string) => {
  const t = new TZDate(d.getTime(), tz);
  return { weekday: t.getDay(), hour: t.getHours(), minute: t.getMinutes() };
};

describe('nextDigestAt', () => {
  it('is Monday 09:00 local by default, strictly after the given instant', () => {
    // Wednesday 2026-10-14 → Monday 2026-10-19 09:00 CEST (07:00Z).
    expect(nextDigestAt(at('2026-10-14T12:00:00Z'), DEFAULT_DIGEST, BERLIN)).toEqual(at('2026-10-19T07:00:00Z'));
    expect(nextDigestAt(at('2026-10-19T06:59:59Z'), DEFAULT_DIGEST, BERLIN)).toEqual(at('2026-10-19T07:00:00Z'));
    // Exactly at the due time: the next one is a week later, never the same instant again.
    expect(nextDigestAt(at('2026-10-19T07:00:00Z'), DEFAULT_DIGEST, BERLIN)).toEqual(at('2026-10-26T08:00:00Z'));
  });

  it('keeps 09:00 local across the Europe/Berlin fall-back (2026-10-25)', () => {
    const next = nextDigestAt(at('2026-10-19T07:00:00Z'), DEFAULT_DIGEST, BERLIN);
    expect(next).toEqual(at('2026-10-26T08:00:00Z')); // 09:00 CET = 08:00Z: 7 days and 1 hour later
    expect(local(next, BERLIN)).toEqual({ weekday: 1, hour: 9, minute: 0 });
  });

  it('keeps 09:00 local across the America/New_York fall-back (2026-11-01)', () => {
    expect(nextDigestAt(at('2026-10-26T13:00:00Z'), DEFAULT_DIGEST, NY)).toEqual(at('2026-11-02T14:00:00Z'));
    expect(nextDigestAt(at('2026-10-31T23:00:00Z'), DEFAULT_DIGEST, NY)).toEqual(at('2026-11-02T14:00:00Z'));
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    const sunday0230 = { weekday: 7, hour: 2, minute: 30 };
    expect(nextDigestAt(at('2026-03-28T12:00:00Z'), sunday0230, BERLIN)).toEqual(at('2026-03-29T01:30:00Z')); // 03:30 CEST
    expect(nextDigestAt(at('2026-03-07T12:00:00Z'), sunday0230, NY)).toEqual(at('2026-03-08T07:30:00Z')); // 03:30 EDT
  });

  it('takes the earlier of a repeated fall-back time, and never the repeat as well', () => {
    const sunday0230 = { weekday: 7, hour: 2, minute: 30 };
    const first = nextDigestAt(at('2026-10-24T12:00:00Z'), sunday0230, BERLIN);
    expect(first).toEqual(at('2026-10-25T00:30:00Z')); // 02:30 CEST, not 02:30 CET (01:30Z)
    expect(nextDigestAt(first, sunday0230, BERLIN)).toEqual(at('2026-11-01T01:30:00Z'));
    const ny = nextDigestAt(at('2026-10-31T12:00:00Z'), { weekday: 7, hour: 1, minute: 30 }, NY);
    expect(ny).toEqual(at('2026-11-01T05:30:00Z')); // 01:30 EDT
    expect(nextDigestAt(ny, { weekday: 7, hour: 1, minute: 30 }, NY)).toEqual(at('2026-11-08T06:30:00Z'));
  });

  it('gives one due time a week, always at the local time, for a year and more', () => {
    const schedule = { weekday: 5, hour: 16, minute: 30 };
    for (const tz of [BERLIN, NY, 'Australia/Sydney', 'Asia/Kolkata']) {
      let t = at('2026-01-01T00:00:00Z');
      for (let i = 0; i < 60; i++) {
        const next = nextDigestAt(t, schedule, tz);
        const hours = (next.getTime() - t.getTime()) / 3_600_000;
        if (i > 0) expect([167, 168, 169]).toContain(hours);
        expect(local(next, tz)).toEqual({ weekday: 5, hour: 16, minute: 30 });
        t = next;
      }
    }
  });

  it('refuses bad schedules, zones and dates', () => {
    const now = at('2026-10-14T12:00:00Z');
    for (const s of [{ weekday: 0, hour: 9, minute: 0 }, { weekday: 8, hour: 9, minute: 0 }, { weekday: 1, hour: 24, minute: 0 }, { weekday: 1, hour: 9, minute: 60 }, { weekday: 1.5, hour: 9, minute: 0 }]) {
      expect(() => nextDigestAt(now, s, BERLIN)).toThrow(RangeError);
    }
    expect(() => nextDigestAt(now, DEFAULT_DIGEST, 'Mars/Olympus')).toThrow(RangeError);
    expect(() => nextDigestAt(new Date(Number.NaN), DEFAULT_DIGEST, BERLIN)).toThrow(RangeError);
  });
});

describe('parseDigestSchedule', () => {
  it.each([
    ['monday 09:00', { weekday: 1, hour: 9, minute: 0 }],
    ['Mon 9:00', { weekday: 1, hour: 9, minute: 0 }],
    ['  TUESDAY   14.30 ', { weekday: 2, hour: 14, minute: 30 }],
    ['thurs 7', { weekday: 4, hour: 7, minute: 0 }],
    ['fri 4pm', { weekday: 5, hour: 16, minute: 0 }],
    ['wed at 10:15 am', { weekday: 3, hour: 10, minute: 15 }],
    ['sun 12am', { weekday: 7, hour: 0, minute: 0 }],
    ['sat 12pm', { weekday: 6, hour: 12, minute: 0 }],
  ])('reads %j', (text, schedule) => {
    expect(parseDigestSchedule(text)).toEqual({ ok: true, schedule });
  });

  it.each(['', 'monday', '09:00', 'someday 09:00', 'monday 25:00', 'monday 09:60', 'monday 13pm', 'monday 0am', 'monday 9:5', 'monday 09:00 extra'])(
    'explains what to write for %j',
    (text) => {
      const r = parseDigestSchedule(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain('monday 09:00');
    },
  );

  it('formats what it reads', () => {
    expect(formatDigestSchedule(DEFAULT_DIGEST)).toBe('Monday 09:00');
    expect(formatDigestSchedule({ weekday: 7, hour: 16, minute: 5 })).toBe('Sunday 16:05');
  });
});

describe('digestWindow', () => {
  const created = at('2026-09-01T10:00:00Z');

  it('covers everything since creation for the first digest', () => {
    expect(digestWindow(null, created, at('2026-09-07T07:00:00Z'))).toEqual({ from: created, to: at('2026-09-07T07:00:00Z') });
  });

  it('covers the whole downtime in one window after an outage, and nothing twice', () => {
    const last = at('2026-10-05T07:00:00Z');
    const restart = at('2026-10-28T11:00:00Z'); // three digests missed
    const w = digestWindow(last, created, restart);
    expect(w).toEqual({ from: last, to: restart });
    // The next window starts where this one ended.
    expect(digestWindow(w.to, created, at('2026-11-02T08:00:00Z')).from).toEqual(restart);
  });

  it('never inverts when the clock went backwards', () => {
    const now = at('2026-10-05T07:00:00Z');
    expect(digestWindow(at('2026-10-06T07:00:00Z'), created, now)).toEqual({ from: now, to: now });
  });

  it('catches up once after downtime: one digest, then the schedule resumes', () => {
    // The job's loop over the stored due time, as the scheduler runs it.
    let nextAt = at('2026-10-05T07:00:00Z'); // Monday 09:00 CEST
    let lastAt: Date | null = at('2026-09-28T07:00:00Z');
    const sent: { from: Date; to: Date }[] = [];
    const tick = (now: Date) => {
      if (nextAt.getTime() > now.getTime()) return;
      sent.push(digestWindow(lastAt, created, now));
      lastAt = now;
      nextAt = nextDigestAt(now, DEFAULT_DIGEST, BERLIN);
    };
    // Down from 2026-10-04 to Wednesday 2026-10-28 11:00Z, then ticks every minute for an hour.
    for (let m = 0; m < 60; m++) tick(new Date(at('2026-10-28T11:00:00Z').getTime() + m * 60_000));
    expect(sent).toEqual([{ from: at('2026-09-28T07:00:00Z'), to: at('2026-10-28T11:00:00Z') }]);
    expect(nextAt).toEqual(at('2026-11-02T08:00:00Z')); // next Monday 09:00, now CET
  });
});

describe('reminderDue', () => {
  // Wednesday 2026-11-25 10:00 in Berlin (CET, UTC+1).
  const base: ReminderInput = {
    lastActivityAt: at('2026-11-17T09:00:00Z'),
    now: at('2026-11-25T09:00:00Z'),
    threshold: { unit: 'days', value: 7 },
    recipientTz: null,
    workspaceTz: BERLIN,
    lastRemindedLocalDate: null,
    snoozedUntil: null,
  };
  const due = (o: Partial<ReminderInput>) => reminderDue({ ...base, ...o });

  it('is due once the threshold passed, on a business day, in working hours', () => {
    expect(due({})).toBe(true);
    expect(due({ lastActivityAt: at('2026-11-18T09:00:01Z') })).toBe(false); // 7 days less a second
    expect(due({ lastActivityAt: at('2026-11-18T09:00:00Z') })).toBe(true); // exactly 7 days
  });

  it('is never due at weekends', () => {
    expect(due({ now: at('2026-11-28T10:00:00Z') })).toBe(false); // Saturday 11:00
    expect(due({ now: at('2026-11-29T10:00:00Z') })).toBe(false); // Sunday 11:00
    expect(due({ now: at('2026-11-30T08:00:00Z') })).toBe(true); // Monday 09:00
  });

  it('is only due from 09:00 to before 17:00 in the recipient’s zone', () => {
    expect(due({ now: at('2026-11-25T07:59:59Z') })).toBe(false); // 08:59:59 Berlin
    expect(due({ now: at('2026-11-25T08:00:00Z') })).toBe(true); // 09:00
    expect(due({ now: at('2026-11-25T15:59:59Z') })).toBe(true); // 16:59:59
    expect(due({ now: at('2026-11-25T16:00:00Z') })).toBe(false); // 17:00
    // 10:00 Berlin is 04:00 in New York; 15:00 Berlin is 09:00 there.
    expect(due({ recipientTz: NY })).toBe(false);
    expect(due({ recipientTz: NY, now: at('2026-11-25T14:00:00Z') })).toBe(true);
  });

  it('uses the workspace zone when the recipient’s is unknown or not a zone', () => {
    expect(reminderZone(null, BERLIN)).toBe(BERLIN);
    expect(reminderZone('Not/AZone', BERLIN)).toBe(BERLIN);
    expect(reminderZone('', BERLIN)).toBe(BERLIN);
    expect(due({ recipientTz: 'Not/AZone' })).toBe(true);
  });

  it('is not due while snoozed, and due again once the snooze ends', () => {
    expect(due({ snoozedUntil: at('2026-11-25T09:00:01Z') })).toBe(false);
    expect(due({ snoozedUntil: at('2026-11-25T09:00:00Z') })).toBe(true);
    expect(due({ snoozedUntil: at('2026-11-20T09:00:00Z') })).toBe(true);
  });

  it('is not due twice on one local date (the recipient’s date, not UTC’s)', () => {
    expect(due({ lastRemindedLocalDate: '2026-11-25' })).toBe(false);
    expect(due({ lastRemindedLocalDate: '2026-11-24' })).toBe(true);
    // 16:30 Tuesday in Los Angeles is already Wednesday in UTC.
    const la = { recipientTz: 'America/Los_Angeles', now: at('2026-11-25T00:30:00Z') };
    expect(due({ ...la, lastRemindedLocalDate: '2026-11-25' })).toBe(true);
    expect(due({ ...la, lastRemindedLocalDate: '2026-11-24' })).toBe(false);
  });

  it('counts business days over weekends for idle impediments', () => {
    const idle = { threshold: { unit: 'business_days' as const, value: 5 }, lastActivityAt: at('2026-11-20T14:00:00Z') }; // Friday 15:00
    expect(due({ ...idle, now: at('2026-11-26T14:00:00Z') })).toBe(false); // Thursday: 4 business days
    expect(due({ ...idle, now: at('2026-11-27T13:59:00Z') })).toBe(false); // Friday 14:59: not quite 5
    expect(due({ ...idle, now: at('2026-11-27T14:00:00Z') })).toBe(true); // Friday 15:00: 5
  });

  it('counts business days by the local clock across the DST change', () => {
    const idle = { threshold: { unit: 'business_days' as const, value: 5 }, lastActivityAt: at('2026-10-23T08:00:00Z') }; // Fri 10:00 CEST
    expect(due({ ...idle, now: at('2026-10-30T08:59:00Z') })).toBe(false); // Fri 09:59 CET
    expect(due({ ...idle, now: at('2026-10-30T09:00:00Z') })).toBe(true); // Fri 10:00 CET
  });

  it('reminds once per business day in working hours, catching up once after downtime', () => {
    // A tick every 15 minutes for two weeks; the service is down all of Monday and Tuesday.
    const reminded: string[] = [];
    let last: string | null = null;
    const start = at('2026-11-30T00:00:00Z').getTime(); // Monday
    for (let t = start; t < start + 14 * 86_400_000; t += 15 * 60_000) {
      const now = new Date(t);
      if (localDate(now, BERLIN) <= '2026-12-01') continue; // down
      if (!due({ now, lastRemindedLocalDate: last, recipientTz: NY })) continue;
      last = localDate(now, NY);
      reminded.push(`${last} ${local(now, NY).hour}`);
    }
    expect(reminded).toEqual([
      '2026-12-02 9', '2026-12-03 9', '2026-12-04 9',
      '2026-12-07 9', '2026-12-08 9', '2026-12-09 9', '2026-12-10 9', '2026-12-11 9',
    ]);
  });
});

describe('snoozeUntil', () => {
  it('is the same local time a week later, across the fall-back', () => {
    const until = snoozeUntil(at('2026-10-22T10:15:30Z'), BERLIN); // Thu 12:15:30 CEST
    expect(until).toEqual(at('2026-10-29T11:15:30Z')); // Thu 12:15:30 CET
    const input: ReminderInput = {
      lastActivityAt: at('2026-10-01T10:00:00Z'),
      now: at('2026-10-29T11:00:00Z'),
      threshold: { unit: 'days', value: 7 },
      recipientTz: null,
      workspaceTz: BERLIN,
      lastRemindedLocalDate: '2026-10-22',
      snoozedUntil: until,
    };
    expect(reminderDue(input)).toBe(false);
    expect(reminderDue({ ...input, now: until })).toBe(true);
  });
});
