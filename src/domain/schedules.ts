/**
 * When scheduled work is due: the weekly digest and the reminders. Pure: every instant is
 * passed in, nothing reads the clock.
 *
 * - Digests run at a local wall-clock time (weekday, hour, minute) in the workspace's zone.
 *   The job keeps the next due time in the database; when it has passed (also long ago, after
 *   downtime) it sends ONE digest covering everything since the last one and moves the due time
 *   to `nextDigestAt(now, …)` — so downtime is caught up once, never twice.
 * - Reminders are stateless checks over a small ledger (last reminded local date, snoozed until):
 *   a tick may ask as often as it likes; `reminderDue` says yes at most once per local day.
 *
 * DST: a local time that does not exist (spring-forward gap) moves forward by the gap; an
 * ambiguous one (fall-back overlap) is the earlier instant — the same rules as businessTime.ts.
 */
import { TZDate } from '@date-fns/tz';
import { businessDaysBetween, isWorkingHours, localDate } from './businessTime';

const DAY_MS = 86_400_000;

export interface DigestSchedule {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
}

export const DEFAULT_DIGEST: Readonly<DigestSchedule> = Object.freeze({ weekday: 1, hour: 9, minute: 0 });

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** True for an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function checkZone(timeZone: string): void {
  if (!isKnownTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
}

function checkDate(d: Date, name: string): void {
  if (Number.isNaN(d.getTime())) throw new RangeError(`${name} is not a valid date`);
}

function checkSchedule(s: DigestSchedule): void {
  const whole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
  if (!whole(s.weekday, 1, 7) || !whole(s.hour, 0, 23) || !whole(s.minute, 0, 59)) {
    throw new RangeError(`Not a digest schedule: weekday ${s.weekday}, ${s.hour}:${s.minute}`);
  }
}

/** Local calendar day of `d` in `timeZone` as days since 1970-01-01. */
function localDay(d: Date, timeZone: string): number {
  const t = new TZDate(d.getTime(), timeZone);
  return Math.round(Date.UTC(t.getFullYear(), t.getMonth(), t.getDate()) / DAY_MS);
}

/**
 * The instant of a local wall-clock time on local day `day`. In a spring-forward gap it moves
 * forward by the gap. In a fall-back overlap it is the EARLIER instant: TZDate alone is not
 * consistent there (02:30 on Berlin's fall-back day gives the later one, 01:30 in New York the
 * earlier), so the instants up to an hour before are checked for the same wall-clock time.
 */
function atLocal(day: number, hour: number, minute: number, timeZone: string, seconds = 0, ms = 0): Date {
  const c = new Date(day * DAY_MS);
  const guess = new TZDate(c.getUTCFullYear(), c.getUTCMonth(), c.getUTCDate(), hour, minute, seconds, ms, timeZone).getTime();
  const wall = (t: number): string => {
    const l = new TZDate(t, timeZone);
    return [localDay(new Date(t), timeZone), l.getHours(), l.getMinutes(), l.getSeconds(), l.getMilliseconds()].join(' ');
  };
  const wanted = [day, hour, minute, seconds, ms].join(' ');
  for (const back of [3_600_000, 1_800_000]) {
    if (wall(guess - back) === wanted) return new Date(guess - back);
  }
  return new Date(guess);
}

/** ISO weekday (1 = Monday) of a day number; day 0 (1970-01-01) was a Thursday. */
const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

/** The next time the digest is due strictly after `after`, at the schedule's local time in `timeZone`. */
export function nextDigestAt(after: Date, schedule: DigestSchedule, timeZone: string): Date {
  checkDate(after, 'after');
  checkZone(timeZone);
  checkSchedule(schedule);
  const today = localDay(after, timeZone);
  let day = today + ((schedule.weekday - isoWeekday(today) + 7) % 7);
  // The candidate can be today at a time already past, or (in the fall-back hour) an
  // instant at or before `after`: then it is next week's.
  for (;;) {
    const at = atLocal(day, schedule.hour, schedule.minute, timeZone);
    if (at.getTime() > after.getTime()) return at;
    day += 7;
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `Monday 09:00`. */
export function formatDigestSchedule(s: DigestSchedule): string {
  return `${WEEKDAY_NAMES[s.weekday - 1] ?? '?'} ${pad(s.hour)}:${pad(s.minute)}`;
}

export type DigestScheduleParse = { ok: true; schedule: DigestSchedule } | { ok: false; message: string };

export const DIGEST_SCHEDULE_FORMAT = 'Write a weekday and a time, e.g. `monday 09:00`, `fri 16:30` or `tue 2pm`';

const DAY_WORDS: Record<string, number> = {
  mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5, sat: 6, saturday: 6, sun: 7, sunday: 7,
};

const SCHEDULE_TEXT = /^([a-z]+)(?:\s+|\s*,\s*|\s+at\s+)(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$/;

/** `monday 09:00`, `Mon 9:00`, `mon 9`, `tuesday 14.30`, `fri 4pm`, `wed at 10:15 am` (case-insensitive). */
export function parseDigestSchedule(text: string): DigestScheduleParse {
  const m = SCHEDULE_TEXT.exec(text.trim().toLowerCase().replace(/\s+/g, ' '));
  const weekday = m?.[1] === undefined ? undefined : DAY_WORDS[m[1]];
  if (!m || weekday === undefined) return { ok: false, message: DIGEST_SCHEDULE_FORMAT };
  let hour = Number(m[2]);
  const minute = m[3] === undefined ? 0 : Number(m[3]);
  const half = m[4];
  if (half !== undefined) {
    if (hour < 1 || hour > 12) return { ok: false, message: `With am/pm the hour is 1–12. ${DIGEST_SCHEDULE_FORMAT}` };
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return { ok: false, message: `That is not a time of day. ${DIGEST_SCHEDULE_FORMAT}` };
  return { ok: true, schedule: { weekday, hour, minute } };
}

/** What a digest covers: since the last one (or the engagement's creation) up to now. */
export function digestWindow(lastDigestAt: Date | null, engagementCreatedAt: Date, now: Date): { from: Date; to: Date } {
  const start = lastDigestAt ?? engagementCreatedAt;
  checkDate(start, 'start');
  checkDate(now, 'now');
  // A clock that went backwards never yields an inverted window.
  const from = start.getTime() > now.getTime() ? now : start;
  return { from: new Date(from.getTime()), to: new Date(now.getTime()) };
}

export interface ReminderThreshold {
  unit: 'days' | 'business_days';
  value: number;
}

export const CHECKIN_REMINDER: Readonly<ReminderThreshold> = Object.freeze({ unit: 'days', value: 7 });
export const IMPEDIMENT_REMINDER: Readonly<ReminderThreshold> = Object.freeze({ unit: 'business_days', value: 5 });

export interface ReminderInput {
  lastActivityAt: Date;
  now: Date;
  threshold: ReminderThreshold;
  /** The recipient's IANA zone from Slack (users.info), or null when unknown. */
  recipientTz: string | null;
  workspaceTz: string;
  /** `YYYY-MM-DD` in the recipient's zone (see `reminderZone`) of the last reminder, or null. */
  lastRemindedLocalDate: string | null;
  snoozedUntil: Date | null;
}

/** The zone a reminder is timed in: the recipient's when known and valid, else the workspace's. */
export function reminderZone(recipientTz: string | null, workspaceTz: string): string {
  return recipientTz !== null && isKnownTimeZone(recipientTz) ? recipientTz : workspaceTz;
}

/** Whether the threshold has passed: calendar days, or business days in the workspace zone (like escalation clocks). */
export function thresholdPassed(lastActivityAt: Date, now: Date, threshold: ReminderThreshold, workspaceTz: string): boolean {
  if (!Number.isFinite(threshold.value) || threshold.value < 0) throw new RangeError(`Bad reminder threshold ${threshold.value}`);
  if (threshold.unit === 'days') return now.getTime() - lastActivityAt.getTime() >= threshold.value * DAY_MS;
  return businessDaysBetween(lastActivityAt, now, workspaceTz) >= threshold.value;
}

/**
 * True only when the threshold has passed, it is a business day and 09:00–17:00 in the
 * recipient's zone (the workspace's when unknown), the reminder is not snoozed, and none was
 * sent on this local date. The job records `localDate(now, reminderZone(…))` after sending.
 */
export function reminderDue(input: ReminderInput): boolean {
  checkDate(input.now, 'now');
  checkDate(input.lastActivityAt, 'lastActivityAt');
  checkZone(input.workspaceTz);
  const zone = reminderZone(input.recipientTz, input.workspaceTz);
  if (input.snoozedUntil !== null && input.now.getTime() < input.snoozedUntil.getTime()) return false;
  if (!isWorkingHours(input.now, zone)) return false;
  if (input.lastRemindedLocalDate === localDate(input.now, zone)) return false;
  return thresholdPassed(input.lastActivityAt, input.now, input.threshold, input.workspaceTz);
}

/** "Snooze a week": the same local wall-clock time seven days later in `timeZone` (DST-proof). */
export function snoozeUntil(now: Date, timeZone: string): Date {
  checkDate(now, 'now');
  checkZone(timeZone);
  const t = new TZDate(now.getTime(), timeZone);
  return atLocal(localDay(now, timeZone) + 7, t.getHours(), t.getMinutes(), timeZone, t.getSeconds(), t.getMilliseconds());
}
