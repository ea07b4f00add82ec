import type { Exchange } from '../../domain/instrument.js';

/**
 * Time at the exchanges of the paper market. The simulated market is open at any hour: the day
 * is cut into back-to-back sessions of the exchange's real length, the first starting at the real
 * open (NSE 09:15 IST, US 09:30 New York), so the U-shaped volume profile has a meaning at any
 * time and coincides with the real session during real trading hours. The last session of a day
 * is cut short by the next day's open.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;

interface ExchangeHours {
  /** Minutes after local midnight. */
  open: number;
  /** Session length in minutes. */
  length: number;
  zone: 'IST' | 'US';
}

const HOURS: Record<Exchange, ExchangeHours> = {
  NSE: { open: 9 * 60 + 15, length: 375, zone: 'IST' },
  BSE: { open: 9 * 60 + 15, length: 375, zone: 'IST' },
  NYSE: { open: 9 * 60 + 30, length: 390, zone: 'US' },
  NASDAQ: { open: 9 * 60 + 30, length: 390, zone: 'US' },
};

/** Length of the exchange's session in ms. */
export function sessionLengthMs(exchange: Exchange): number {
  return HOURS[exchange].length * MINUTE;
}

/** Day number of the n-th Sunday of a month (UTC day numbers since 1970). */
function nthSunday(year: number, month: number, n: number): number {
  const first = Date.UTC(year, month, 1) / DAY;
  const weekday = (first + 4) % 7;
  return first + ((7 - weekday) % 7) + 7 * (n - 1);
}

/** UTC offset in minutes: India +05:30 always; US Eastern with the post-2007 daylight rule. */
export function utcOffsetMinutes(exchange: Exchange, utcMs: number): number {
  if (HOURS[exchange].zone === 'IST') return 330;
  const year = new Date(utcMs).getUTCFullYear();
  const start = nthSunday(year, 2, 2) * DAY + 7 * 3_600_000;
  const end = nthSunday(year, 10, 1) * DAY + 6 * 3_600_000;
  return utcMs >= start && utcMs < end ? -240 : -300;
}

/** The exchange-local calendar date of an instant, `YYYY-MM-DD`. */
export function localDate(exchange: Exchange, utcMs: number): string {
  return new Date(utcMs + utcOffsetMinutes(exchange, utcMs) * MINUTE).toISOString().slice(0, 10);
}

/** The UTC instant of the next local midnight after `utcMs` (when DAY orders expire). */
export function endOfLocalDay(exchange: Exchange, utcMs: number): number {
  const offset = utcOffsetMinutes(exchange, utcMs) * MINUTE;
  return (Math.floor((utcMs + offset) / DAY) + 1) * DAY - offset;
}

export interface SimulatedSession {
  /** UTC ms of the session's start and (exclusive) end. */
  start: number;
  end: number;
  /** Nominal length (ms): positions are measured against it, so a cut-short session ends early. */
  length: number;
  /** True for the session that coincides with real exchange hours. */
  real: boolean;
}

/** The simulated session containing `utcMs`. */
export function sessionAt(exchange: Exchange, utcMs: number): SimulatedSession {
  const hours = HOURS[exchange];
  const offset = utcOffsetMinutes(exchange, utcMs) * MINUTE;
  const local = utcMs + offset;
  let open = Math.floor(local / DAY) * DAY + hours.open * MINUTE;
  if (local < open) open -= DAY;
  const length = hours.length * MINUTE;
  const k = Math.floor((local - open) / length);
  const start = open + k * length;
  const end = Math.min(start + length, open + DAY);
  return { start: start - offset, end: end - offset, length, real: k === 0 };
}

/** Position of `utcMs` in its simulated session, 0 at the open and 1 at the nominal close. */
export function sessionPosition(session: SimulatedSession, utcMs: number): number {
  return (utcMs - session.start) / session.length;
}

function isWeekend(isoDate: string): boolean {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * The next business day after `isoDate` by the weekday rule (no holidays). The paper broker takes
 * a replacement through its options when an exchange calendar is available.
 */
export function nextWeekday(isoDate: string): string {
  let ms = Date.parse(`${isoDate}T00:00:00Z`) + DAY;
  while (isWeekend(new Date(ms).toISOString().slice(0, 10))) ms += DAY;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Real exchange hours on weekdays, holidays aside: the default when `followExchangeHours` is on. */
export function isWithinExchangeHours(exchange: Exchange, utcMs: number): boolean {
  return !isWeekend(localDate(exchange, utcMs)) && sessionAt(exchange, utcMs).real;
}
