import type { Exchange } from '../../domain/instrument.js';

/**
 * The normal continuous session of each exchange, used to place the intraday volume profile in
 * time and to convert a horizon into trading days. Holidays and early closes do not change the
 * shape of a day's volume, so these algorithms need only the regular hours.
 */
interface SessionHours {
  timeZone: 'Asia/Kolkata' | 'America/New_York';
  openMinute: number;
  closeMinute: number;
}

const HOURS: Record<Exchange, SessionHours> = {
  NSE: { timeZone: 'Asia/Kolkata', openMinute: 9 * 60 + 15, closeMinute: 15 * 60 + 30 },
  BSE: { timeZone: 'Asia/Kolkata', openMinute: 9 * 60 + 15, closeMinute: 15 * 60 + 30 },
  NYSE: { timeZone: 'America/New_York', openMinute: 9 * 60 + 30, closeMinute: 16 * 60 },
  NASDAQ: { timeZone: 'America/New_York', openMinute: 9 * 60 + 30, closeMinute: 16 * 60 },
};

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Length of a normal trading day: 6h15m on NSE/BSE, 6h30m in New York. */
export function sessionLengthMs(exchange: Exchange): number {
  const h = HOURS[exchange];
  return (h.closeMinute - h.openMinute) * MINUTE;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at an instant (IST +330; New York −300 or −240). */
export function utcOffsetMinutes(timeZone: string, at: number): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return Math.round((local - Math.floor(at / 1000) * 1000) / MINUTE);
}

/** The instant of a local wall-clock minute on the exchange-local day that contains `at`. */
export function exchangeLocalTime(exchange: Exchange, at: number, minuteOfDay: number): number {
  const zone = HOURS[exchange].timeZone;
  const localDay = Math.floor((at + utcOffsetMinutes(zone, at) * MINUTE) / DAY);
  const localMs = localDay * DAY + minuteOfDay * MINUTE;
  // Correct the offset guess once: session times never fall in a skipped or repeated DST hour.
  const guess = localMs - utcOffsetMinutes(zone, localMs) * MINUTE;
  return localMs - utcOffsetMinutes(zone, guess) * MINUTE;
}

/** Open and close (epoch ms) of the normal session on the exchange-local day containing `at`. */
export function sessionWindow(exchange: Exchange, at: number): { open: number; close: number } {
  const h = HOURS[exchange];
  return { open: exchangeLocalTime(exchange, at, h.openMinute), close: exchangeLocalTime(exchange, at, h.closeMinute) };
}

/** An instant as the exchange's local wall-clock time, "YYYY-MM-DD HH:MM:SS". */
export function formatExchangeTime(exchange: Exchange, at: number): string {
  const local = at + utcOffsetMinutes(HOURS[exchange].timeZone, at) * MINUTE;
  return new Date(local).toISOString().slice(0, 19).replace('T', ' ');
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
