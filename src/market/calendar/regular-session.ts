import type { Exchange } from '../../domain/instrument.js';
import { exchangeLocalTime } from '../exchange-time.js';
import { calendarFor } from './supplied.js';

/**
 * The normal continuous session of an exchange on an ordinary day (its calendar's `hours.normal`:
 * NSE/BSE 09:15–15:30 IST, New York 09:30–16:00). The volume profile is placed in it and the
 * paper market cuts its simulated day by it; holidays and early closes do not change the shape of
 * a day's volume, so these need only the regular hours.
 */
export interface RegularHours {
  /** Minutes after local midnight. */
  open: number;
  close: number;
}

export function regularHours(exchange: Exchange): RegularHours {
  const { normal } = calendarFor(exchange);
  return { open: normal.start, close: normal.end };
}

/** Length of a normal trading day: 6h15m on NSE/BSE, 6h30m in New York. */
export function sessionLengthMs(exchange: Exchange): number {
  const { normal } = calendarFor(exchange);
  return (normal.end - normal.start) * 60_000;
}

/** Open and close (epoch ms) of the normal session on the exchange-local day containing `at`. */
export function sessionWindow(exchange: Exchange, at: number): { open: number; close: number } {
  const { normal } = calendarFor(exchange);
  return { open: exchangeLocalTime(exchange, at, normal.start), close: exchangeLocalTime(exchange, at, normal.end) };
}
