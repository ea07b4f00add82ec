import type { SupportedTimeZone } from './calendar-data.js';

/**
 * Exchange-local time without a time-zone database: India has a fixed +05:30 offset and the
 * United States rule (since 2007) is second Sunday of March to first Sunday of November, at
 * 02:00 local. Computing it directly keeps the hot path free of Intl formatting and the result
 * independent of the ICU data Node was built with.
 */
const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
const IST_OFFSET_MINUTES = 330;

/** Days since 1970-01-01 of an ISO date, validating it. */
export function dayNumber(isoDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${isoDate}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${isoDate}`);
  }
  return ms / MS_PER_DAY;
}

export function isoFromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Day number of the n-th Sunday (1-based) of a month. */
function nthSunday(year: number, monthIndex: number, n: number): number {
  const first = Date.UTC(year, monthIndex, 1) / MS_PER_DAY;
  return first + ((7 - weekday(first)) % 7) + 7 * (n - 1);
}

/** UTC instants at which US daylight time starts and ends in a year. */
function usDaylightBounds(year: number): { start: number; end: number } {
  // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
  return {
    start: nthSunday(year, 2, 2) * MS_PER_DAY + 7 * 3_600_000,
    end: nthSunday(year, 10, 1) * MS_PER_DAY + 6 * 3_600_000,
  };
}

/** Offset of local time from UTC in minutes at a UTC instant. */
export function offsetMinutes(zone: SupportedTimeZone, utcMs: number): number {
  if (zone === 'Asia/Kolkata') return IST_OFFSET_MINUTES;
  const year = new Date(utcMs).getUTCFullYear();
  const { start, end } = usDaylightBounds(year);
  return utcMs >= start && utcMs < end ? -240 : -300;
}

/** Local calendar day (day number) and milliseconds after local midnight of an instant. */
export function toLocal(zone: SupportedTimeZone, utcMs: number): { day: number; msOfDay: number } {
  const local = utcMs + offsetMinutes(zone, utcMs) * MS_PER_MINUTE;
  const day = Math.floor(local / MS_PER_DAY);
  return { day, msOfDay: local - day * MS_PER_DAY };
}

/**
 * The UTC instant of a local wall-clock time. Exchange session times never fall in the
 * skipped or repeated hour of a DST switch, so the standard-offset guess corrected once is exact.
 */
export function fromLocal(zone: SupportedTimeZone, day: number, minuteOfDay: number): number {
  const localMs = day * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  const guess = localMs - offsetMinutes(zone, localMs) * MS_PER_MINUTE;
  return localMs - offsetMinutes(zone, guess) * MS_PER_MINUTE;
}
