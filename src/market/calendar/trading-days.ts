import type { Exchange } from '../../domain/instrument.js';
import { dayNumber, isoFromDayNumber, isWeekend, weekday } from '../day-number.js';
import { fromLocal, toLocal } from '../time-zone.js';
import { hhmm, scheduleFor } from './session.js';
import { calendarFor } from './supplied.js';

/**
 * What a calendar says of one exchange-local day. `unknown`: a weekday of a year the holiday list
 * does not cover — it may be a holiday, so nothing that trades real money may assume it is a
 * trading day.
 */
export type DayKind = 'trading' | 'special' | 'holiday' | 'weekend' | 'unknown';

export interface CalendarDay {
  date: string;
  weekday: string;
  kind: DayKind;
  /** The holiday's or the special session's name, or the early close. */
  name?: string;
  /** Normal session, `HH:MM` local (trading, special and unknown days: the regular hours). */
  open?: string;
  close?: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function describeDay(exchange: Exchange, day: number): CalendarDay & { openMinute?: number } {
  const data = calendarFor(exchange);
  const base = { date: isoFromDayNumber(day), weekday: WEEKDAYS[weekday(day)]! };
  const year = Number(base.date.slice(0, 4));
  const special = data.specialSessions.get(day);
  if (!special && !isWeekend(day) && !data.years.has(year)) {
    return { ...base, kind: 'unknown', name: `no holiday list for ${year}`, open: hhmm(data.normal.start), close: hhmm(data.normal.end), openMinute: data.normal.start };
  }
  const schedule = scheduleFor(data, day);
  if ('closedReason' in schedule) return { ...base, kind: schedule.closedReason === 'weekend' ? 'weekend' : 'holiday', name: schedule.closedReason };
  const { normal, note } = schedule;
  return { ...base, kind: special ? 'special' : 'trading', ...(note ? { name: note } : {}), open: hhmm(normal.start), close: hhmm(normal.end), openMinute: normal.start };
}

/** Every day from `from` to `to` (inclusive, `YYYY-MM-DD`), as the exchange's calendar has it. */
export function calendarDays(exchange: Exchange, from: string, to: string): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) {
    const { openMinute: _, ...day } = describeDay(exchange, d);
    days.push(day);
  }
  return days;
}

/** The exchange-local day of an instant, as the calendar has it. */
export function calendarDayAt(exchange: Exchange, ts: number): CalendarDay {
  const { openMinute: _, ...day } = describeDay(exchange, toLocal(calendarFor(exchange).timeZone, ts).day);
  return day;
}

/**
 * The first normal session that has not closed at `ts`: today's when today trades and its close
 * is still ahead (its open may have passed), else the next trading day's. `unknownIsTrading` says whether a day the calendar does not cover counts (a
 * simulated market) or stops the search (a real broker: the answer is then `{ unknown }`).
 */
export function sessionOpenFrom(exchange: Exchange, ts: number, unknownIsTrading: boolean): { open: number; close: number; date: string } | { unknown: string } | undefined {
  const data = calendarFor(exchange);
  const today = toLocal(data.timeZone, ts).day;
  for (let d = today; d <= today + 40; d++) {
    const day = describeDay(exchange, d);
    if (day.kind === 'unknown' && !unknownIsTrading) return { unknown: day.date };
    if (day.openMinute === undefined) continue;
    const close = fromLocal(data.timeZone, d, Number(day.close!.slice(0, 2)) * 60 + Number(day.close!.slice(3, 5)));
    if (close <= ts) continue;
    return { open: fromLocal(data.timeZone, d, day.openMinute), close, date: day.date };
  }
  return undefined;
}
