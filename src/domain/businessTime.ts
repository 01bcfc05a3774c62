/**
 * Business time in a workspace's time zone: weekdays only (Saturday and Sunday skipped),
 * working hours 09:00–17:00 local. Pure: every instant is passed in, nothing reads the clock.
 *
 * Calendar arithmetic is done on local calendar days (day numbers), and a local wall-clock
 * time is turned back into an instant with @date-fns/tz, so DST changes never shift a due
 * time: 2 business days from Friday 15:00 is Tuesday 15:00 local, whatever the offset did.
 * A local time that does not exist (spring-forward gap) moves forward by the gap; an
 * ambiguous one (fall-back overlap) resolves to the earlier instant.
 */
import { TZDate } from '@date-fns/tz';
import type { ResponseUnit } from './types';

export const WORKDAY_START_HOUR = 9;
export const WORKDAY_END_HOUR = 17;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A local calendar day as days since 1970-01-01, plus the local time of day. */
interface LocalTime {
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
  ms: number;
}

const knownZones = new Set<string>();

function checkZone(timeZone: string): void {
  if (knownZones.has(timeZone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`Unknown time zone: ${timeZone}`);
  }
  knownZones.add(timeZone);
}

function checkDate(d: Date, name: string): void {
  if (Number.isNaN(d.getTime())) throw new RangeError(`${name} is not a valid date`);
}

function toLocal(d: Date, timeZone: string): LocalTime {
  checkDate(d, 'date');
  checkZone(timeZone);
  const t = new TZDate(d.getTime(), timeZone);
  return {
    day: Math.round(Date.UTC(t.getFullYear(), t.getMonth(), t.getDate()) / DAY_MS),
    hours: t.getHours(),
    minutes: t.getMinutes(),
    seconds: t.getSeconds(),
    ms: t.getMilliseconds(),
  };
}

function fromLocal(l: LocalTime, timeZone: string): Date {
  const c = new Date(l.day * DAY_MS);
  const t = new TZDate(c.getUTCFullYear(), c.getUTCMonth(), c.getUTCDate(), l.hours, l.minutes, l.seconds, l.ms, timeZone);
  return new Date(t.getTime());
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
const isWeekday = (day: number): boolean => weekday(day) !== 0 && weekday(day) !== 6;

function nextWeekday(day: number): number {
  let d = day + 1;
  while (!isWeekday(d)) d += 1;
  return d;
}

/** The weekday `n` weekdays after `day` (itself a weekday). */
function addWeekdays(day: number, n: number): number {
  let d = day + Math.floor(n / 5) * 7;
  for (let left = n % 5; left > 0; left -= 1) d = nextWeekday(d);
  return d;
}

/** How many weekdays lie in (from, to]; 0 when to ≤ from. */
function weekdaysAfter(from: number, to: number): number {
  if (to <= from) return 0;
  const weeks = Math.floor((to - from) / 7);
  let count = weeks * 5;
  for (let d = from + weeks * 7 + 1; d <= to; d += 1) if (isWeekday(d)) count += 1;
  return count;
}

const opening = (day: number): LocalTime => ({ day, hours: WORKDAY_START_HOUR, minutes: 0, seconds: 0, ms: 0 });
const closing = (day: number): LocalTime => ({ day, hours: WORKDAY_END_HOUR, minutes: 0, seconds: 0, ms: 0 });

/** Weekend starts move to Monday 09:00 local; weekday starts keep their wall-clock time. */
function dayStart(start: LocalTime): LocalTime {
  return isWeekday(start.day) ? start : opening(nextWeekday(start.day));
}

/** The instant business hours are counted from: `start` itself inside working hours, else the next opening. */
function hoursStart(start: Date, timeZone: string): Date {
  const l = toLocal(start, timeZone);
  if (!isWeekday(l.day)) return fromLocal(opening(nextWeekday(l.day)), timeZone);
  if (l.hours < WORKDAY_START_HOUR) return fromLocal(opening(l.day), timeZone);
  if (l.hours >= WORKDAY_END_HOUR) return fromLocal(opening(nextWeekday(l.day)), timeZone);
  return start;
}

/**
 * `value` business days or hours after `start`, in `timeZone`.
 * - business_days: the same local wall-clock time `value` weekdays later; a start on a
 *   weekend counts from Monday 09:00 local. Whole days only.
 * - business_hours: only time inside 09:00–17:00 local, Monday to Friday, counts; a start
 *   outside working hours counts from the next opening. Fractions of an hour are fine.
 *   A due time that lands exactly on closing time stays at 17:00 (not the next morning).
 */
export function addBusinessTime(start: Date, value: number, unit: ResponseUnit, timeZone: string): Date {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Business time must be zero or more, got ${value}`);
  if (unit === 'business_days') {
    if (!Number.isInteger(value)) throw new RangeError(`Business days must be a whole number, got ${value}`);
    const from = dayStart(toLocal(start, timeZone));
    return fromLocal({ ...from, day: addWeekdays(from.day, value) }, timeZone);
  }
  let cursor = hoursStart(start, timeZone);
  let left = Math.round(value * HOUR_MS);
  // Whole working weeks first, so large values do not walk day by day; at least a moment of
  // the last week is left for the loop, so a due time on closing time stays at 17:00.
  const weekMs = 5 * (WORKDAY_END_HOUR - WORKDAY_START_HOUR) * HOUR_MS;
  const weeks = left > 0 ? Math.ceil(left / weekMs) - 1 : 0;
  if (weeks > 0) {
    const l = toLocal(cursor, timeZone);
    cursor = fromLocal({ ...l, day: l.day + weeks * 7 }, timeZone);
    left -= weeks * weekMs;
  }
  for (;;) {
    const l = toLocal(cursor, timeZone);
    const available = fromLocal(closing(l.day), timeZone).getTime() - cursor.getTime();
    if (left <= available) return new Date(cursor.getTime() + left);
    left -= available;
    cursor = fromLocal(opening(nextWeekday(l.day)), timeZone);
  }
}

/**
 * Whole business days elapsed from `a` to `b`: the largest n with
 * `addBusinessTime(a, n, 'business_days', tz) <= b`; 0 when `b` is not after `a`.
 */
export function businessDaysBetween(a: Date, b: Date, timeZone: string): number {
  checkDate(b, 'date');
  if (b.getTime() <= a.getTime()) return 0;
  const from = dayStart(toLocal(a, timeZone));
  const to = toLocal(b, timeZone);
  let n = weekdaysAfter(from.day, to.day);
  while (n > 0 && addBusinessTime(a, n, 'business_days', timeZone).getTime() > b.getTime()) n -= 1;
  return n;
}

/** Monday to Friday in `timeZone`. */
export function isBusinessDay(d: Date, timeZone: string): boolean {
  return isWeekday(toLocal(d, timeZone).day);
}

/** Monday to Friday, 09:00 (inclusive) to 17:00 (exclusive) local. */
export function isWorkingHours(d: Date, timeZone: string): boolean {
  const l = toLocal(d, timeZone);
  return isWeekday(l.day) && l.hours >= WORKDAY_START_HOUR && l.hours < WORKDAY_END_HOUR;
}

/** The local calendar date of `d` in `timeZone`, `YYYY-MM-DD`. */
export function localDate(d: Date, timeZone: string): string {
  return new Date(toLocal(d, timeZone).day * DAY_MS).toISOString().slice(0, 10);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Elapsed calendar time in the largest whole unit: `3 days`, `5 hours`, `12 minutes`,
 * `less than a minute` (also when `to` is before `from`).
 */
export function formatAge(from: Date, to: Date): string {
  const ms = to.getTime() - from.getTime();
  if (!(ms >= 60_000)) return 'less than a minute';
  if (ms >= DAY_MS) return plural(Math.floor(ms / DAY_MS), 'day');
  if (ms >= HOUR_MS) return plural(Math.floor(ms / HOUR_MS), 'hour');
  return plural(Math.floor(ms / 60_000), 'minute');
}
