import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { EXCHANGES, type Exchange } from '../domain/instrument.js';
import { ExitCode } from '../lib/exit-codes.js';
import { dayNumber, isoFromDayNumber } from '../market/day-number.js';
import { formatExchangeTime, parseExchangeTime, tradingDate } from '../market/exchange-time.js';
import { calendarDayAt, calendarDays, sessionState } from '../market/calendar/index.js';
import { EXCHANGE_TIME_ZONES } from '../market/time-zone.js';
import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';

/** The exchange a flag names (NSE when none), refused with exit 2 when unknown. */
export function exchangeFlag(flag: string | undefined): Exchange {
  const name = (flag ?? 'NSE').toUpperCase();
  if (!(EXCHANGES as readonly string[]).includes(name)) throw new InvalidInputError(`unknown exchange "${flag}"`, `use one of ${EXCHANGES.join(', ')}`);
  return name as Exchange;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateFlag(name: string, value: string): string {
  const valid = () => {
    try {
      return isoFromDayNumber(dayNumber(value)) === value;
    } catch {
      return false;
    }
  };
  if (!ISO_DATE.test(value) || !valid()) throw new InvalidInputError(`--${name} ${value} is not a date`, 'write it as YYYY-MM-DD');
  return value;
}

/** The advice given wherever a date is outside the calendar's holiday lists. */
export const CALENDAR_FILE_HINT = 'add the year\'s holiday list as a calendar file (config.json "calendars": {"files": [...]}; README "Exchange calendars")';

/**
 * `ptexec calendar`: the exchange's days from `from` to `to` (default: today and the next 30
 * days), each trading (with its session), special, holiday, weekend, or unknown — a weekday of a
 * year the holiday lists do not cover.
 */
export function listCalendar(f: Factory, input: { exchange?: string; from?: string; to?: string }): CommandResult {
  const exchange = exchangeFlag(input.exchange);
  const from = input.from !== undefined ? dateFlag('from', input.from) : tradingDate(exchange, f.wallNow());
  const to = input.to !== undefined ? dateFlag('to', input.to) : isoFromDayNumber(dayNumber(from) + 30);
  if (to < from) throw new InvalidInputError(`--to ${to} is before --from ${from}`, 'give the earlier date to --from');
  if (dayNumber(to) - dayNumber(from) > 3660) throw new InvalidInputError(`--from ${from} --to ${to} spans more than 10 years`, 'ask for a shorter range');
  const days = calendarDays(exchange, from, to);
  const io = f.io;
  const unknownYears = [...new Set(days.filter((d) => d.kind === 'unknown').map((d) => d.date.slice(0, 4)))];
  if (!io.jsonMode) {
    io.table(
      [{ header: 'date' }, { header: 'day' }, { header: 'status' }, { header: 'session' }, { header: 'note', truncate: true, minWidth: 10 }],
      days.map((d) => [d.date, d.weekday, d.kind, d.open ? `${d.open}–${d.close}` : '-', d.name ?? '']),
    );
    io.info(`${exchange} times are ${EXCHANGE_TIME_ZONES[exchange]}`);
    if (unknownYears.length) io.warn(`no ${exchange} holiday list for ${unknownYears.join(', ')}: ptexec does not assume those weekdays trade and will not run a real broker on them; ${CALENDAR_FILE_HINT}`);
  }
  return { exitCode: ExitCode.ok, json: { exchange, time_zone: EXCHANGE_TIME_ZONES[exchange], from, to, days } };
}

/**
 * `ptexec calendar is-open`: whether the exchange's normal session is open at an instant (now by
 * default), as an exit code for scripts: 0 open, 8 closed, 9 unknown (no holiday list).
 */
export function isOpen(f: Factory, input: { exchange?: string; at?: string }): CommandResult {
  const exchange = exchangeFlag(input.exchange);
  const now = f.wallNow();
  const at = input.at === undefined ? now : parseExchangeTime(input.at, exchange, now);
  if (at === undefined) throw new InvalidInputError(`--at ${input.at} is not a time`, 'use HH:MM (exchange time, today), YYYY-MM-DD HH:MM, or an ISO 8601 instant');
  const day = calendarDayAt(exchange, at);
  const state = sessionState(exchange, at);
  const local = formatExchangeTime(exchange, at);
  const json = { exchange, at: new Date(at).toISOString(), local_time: local, state: state.state, reason: state.reason ?? null, day: day.kind, next_open: state.nextOpen ? new Date(state.nextOpen).toISOString() : null };
  if (day.kind === 'unknown') {
    f.io.info(`${exchange} at ${local}: unknown — no holiday list for ${day.date.slice(0, 4)}; ${CALENDAR_FILE_HINT}`);
    return { exitCode: ExitCode.calendarUnknown, json: { ...json, open: null } };
  }
  const open = state.state === 'open';
  const next = state.nextOpen ? `; next open ${formatExchangeTime(exchange, state.nextOpen).slice(0, 16)}` : '';
  f.io.info(`${exchange} at ${local}: ${open ? 'open' : `closed (${state.reason ?? state.state})${next}`}`);
  return { exitCode: open ? ExitCode.ok : ExitCode.marketClosed, json: { ...json, open } };
}
