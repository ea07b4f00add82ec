import type { Exchange } from '../../domain/instrument.js';
import { regularHours } from '../../market/calendar/index.js';
import { isWeekend } from '../../market/day-number.js';
import type { TradingSession } from '../../market/trading-session.js';
import { EXCHANGE_TIME_ZONES, toLocal, utcOffsetMinutes } from '../../market/time-zone.js';

/**
 * Time at the exchanges of the paper market. The simulated market is open at any hour: the day
 * is cut into back-to-back sessions of the exchange's regular length, the first starting at the
 * regular open (NSE 09:15 IST, US 09:30 New York), so the U-shaped volume profile has a meaning
 * at any time and coincides with the real session during real trading hours. The last session
 * of a day is cut short by the next day's open.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;

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
  const hours = regularHours(exchange);
  const offset = utcOffsetMinutes(EXCHANGE_TIME_ZONES[exchange], utcMs) * MINUTE;
  const local = utcMs + offset;
  let open = Math.floor(local / DAY) * DAY + hours.open * MINUTE;
  if (local < open) open -= DAY;
  const length = (hours.close - hours.open) * MINUTE;
  const k = Math.floor((local - open) / length);
  const start = open + k * length;
  const end = Math.min(start + length, open + DAY);
  return { start: start - offset, end: end - offset, length, real: k === 0 };
}

/** Position of `utcMs` in its simulated session, 0 at the open and 1 at the nominal close. */
export function sessionPosition(session: SimulatedSession, utcMs: number): number {
  return (utcMs - session.start) / session.length;
}

/** Real exchange hours on weekdays, holidays aside: the default when `followExchangeHours` is on. */
export function isWithinExchangeHours(exchange: Exchange, utcMs: number): boolean {
  return !isWeekend(toLocal(EXCHANGE_TIME_ZONES[exchange], utcMs).day) && sessionAt(exchange, utcMs).real;
}

/**
 * The simulated session containing `utcMs` in which the market is open, or the next one: with
 * the always-open simulated market that is the session containing it; following exchange hours,
 * closed sessions (nights, weekends, holidays) are skipped, a fortnight at most.
 */
export function openSession(exchange: Exchange, utcMs: number, isOpen: (exchange: Exchange, ts: number) => boolean): TradingSession {
  let session = sessionAt(exchange, utcMs);
  for (let i = 0; i < 100 && !isOpen(exchange, Math.max(utcMs, session.start)); i++) session = sessionAt(exchange, session.end);
  return { start: session.start, end: session.end, length: session.length };
}
