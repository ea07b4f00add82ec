import type { Exchange } from '../../domain/instrument.js';
import { dayNumber, isoFromDayNumber, isWeekend } from '../day-number.js';
import { calendarFor } from './supplied.js';

/** A day on which the exchange holds its normal session and settles trades. */
export function isBusinessDay(exchange: Exchange, isoDate: string): boolean {
  return isBusinessDayNumber(exchange, dayNumber(isoDate));
}

export function isBusinessDayNumber(exchange: Exchange, day: number): boolean {
  if (isWeekend(day)) return false;
  return !calendarFor(exchange).holidays.has(day);
}

/**
 * Moves `n` business days from `isoDate` (negative goes back). T+1 settlement of a trade is
 * `addBusinessDays(exchange, tradeDate, 1)`; n = 0 returns the date unchanged.
 */
export function addBusinessDays(exchange: Exchange, isoDate: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`business-day count must be an integer: ${n}`);
  let day = dayNumber(isoDate);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (isBusinessDayNumber(exchange, day)) left--;
  }
  return isoFromDayNumber(day);
}

/** The exchange's published weekday holidays of a year, in date order. */
export function holidays(exchange: Exchange, year: number): { date: string; name: string }[] {
  const prefix = `${year}-`;
  return [...calendarFor(exchange).holidays]
    .map(([day, name]) => ({ date: isoFromDayNumber(day), name }))
    .filter((h) => h.date.startsWith(prefix))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Whether the shipped holiday list covers a year. For other years the calendar knows only
 * weekends; callers that settle or gate on it should say so to the user.
 */
export function calendarCovers(exchange: Exchange, year: number): boolean {
  return calendarFor(exchange).years.has(year);
}
