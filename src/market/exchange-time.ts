import type { Exchange } from '../domain/instrument.js';
import { isoFromDayNumber } from './day-number.js';
import { EXCHANGE_TIME_ZONES, fromLocal, localDateTime, nextLocalMidnight, toLocal } from './time-zone.js';

/** Time as an exchange reads it: its local calendar date and wall clock. */

/** The exchange-local calendar date (YYYY-MM-DD) of an instant: the trading date of a fill. */
export function tradingDate(exchange: Exchange, ts: number): string {
  return isoFromDayNumber(toLocal(EXCHANGE_TIME_ZONES[exchange], ts).day);
}

/** The instant of a local wall-clock minute (fractions allowed) on the exchange-local day that contains `at`. */
export function exchangeLocalTime(exchange: Exchange, at: number, minuteOfDay: number): number {
  const zone = EXCHANGE_TIME_ZONES[exchange];
  return fromLocal(zone, toLocal(zone, at).day, minuteOfDay);
}

/** The instant the exchange-local day containing `ts` ends (when DAY orders expire). */
export function endOfExchangeDay(exchange: Exchange, ts: number): number {
  return nextLocalMidnight(EXCHANGE_TIME_ZONES[exchange], ts);
}

/** An instant as the exchange's local wall-clock time, "YYYY-MM-DD HH:MM:SS". */
export function formatExchangeTime(exchange: Exchange, at: number): string {
  return localDateTime(EXCHANGE_TIME_ZONES[exchange], at);
}

/**
 * A start time as a user writes it: `now`, `HH:MM[:SS]` (today, exchange-local), a local
 * `YYYY-MM-DD HH:MM[:SS]` (or with `T`), or an ISO 8601 instant with a zone. Undefined if not one.
 */
export function parseExchangeTime(text: string, exchange: Exchange, now: number): number | undefined {
  const input = text.trim();
  if (input.toLowerCase() === 'now') return now;
  const minuteOf = (h: string, m: string, s?: string) => {
    const [hh, mm, ss] = [Number(h), Number(m), Number(s ?? 0)];
    return hh < 24 && mm < 60 && ss < 60 ? hh * 60 + mm + ss / 60 : undefined;
  };
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(input);
  if (clock) {
    const minute = minuteOf(clock[1]!, clock[2]!, clock[3]);
    return minute === undefined ? undefined : exchangeLocalTime(exchange, now, minute);
  }
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(input);
  if (local) {
    const minute = minuteOf(local[4]!, local[5]!, local[6]);
    const noon = Date.UTC(Number(local[1]), Number(local[2]) - 1, Number(local[3]), 12);
    if (minute === undefined || Number.isNaN(noon) || new Date(noon).toISOString().slice(0, 10) !== input.slice(0, 10)) return undefined;
    return exchangeLocalTime(exchange, noon, minute);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(input)) {
    const at = Date.parse(input);
    return Number.isNaN(at) ? undefined : at;
  }
  return undefined;
}
