import type { Exchange } from '../../domain/instrument.js';
import { isWeekend } from '../day-number.js';
import { fromLocal, toLocal } from '../time-zone.js';
import type { ExchangeCalendarData, MinuteWindow } from './calendar-file.js';
import { isBusinessDayNumber } from './business-days.js';
import { calendarFor } from './supplied.js';

export type SessionStateName = 'pre_open' | 'open' | 'closing' | 'closed';

export interface SessionState {
  state: SessionStateName;
  /** Why the market is not in its normal session (holiday name, weekend, after close, …). */
  reason?: string;
  /** Start of the next normal session (epoch ms), unless the market is open now. */
  nextOpen?: number;
}

export interface DaySchedule {
  preOpen?: MinuteWindow;
  normal: MinuteWindow;
  closing?: MinuteWindow;
  note?: string;
}

/** The sessions held on a local day, or a reason there are none. */
export function scheduleFor(data: ExchangeCalendarData, day: number): DaySchedule | { closedReason: string } {
  const special = data.specialSessions.get(day);
  if (special) return { preOpen: special.preOpen, normal: special.normal, closing: special.closing, note: special.name };
  if (!isBusinessDayNumber(data.exchange, day)) {
    const holiday = data.holidays.get(day);
    if (holiday) return { closedReason: holiday };
    return { closedReason: isWeekend(day) ? 'weekend' : 'closed' };
  }
  const early = data.earlyCloses.get(day);
  if (early) return { preOpen: data.preOpen, normal: { start: data.normal.start, end: early.close }, note: `early close (${early.name})` };
  return { preOpen: data.preOpen, normal: data.normal, closing: data.closing };
}

/** Start of the first normal session strictly after local `day`/`minute` (searches 40 days). */
function nextOpenAfter(data: ExchangeCalendarData, day: number, minute: number): number | undefined {
  for (let d = day; d <= day + 40; d++) {
    const schedule = scheduleFor(data, d);
    if ('closedReason' in schedule) continue;
    if (d > day || schedule.normal.start > minute) return fromLocal(data.timeZone, d, schedule.normal.start);
  }
  return undefined;
}

function within(w: MinuteWindow | undefined, minute: number): boolean {
  return w !== undefined && minute >= w.start && minute < w.end;
}

export function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/**
 * The session an exchange is in at an instant. Windows are half-open: 09:15:00 is open,
 * 15:30:00 is not. NSE/BSE: pre-open 09:00–09:08, normal 09:15–15:30, closing session
 * 15:40–16:00 IST; NYSE/NASDAQ 09:30–16:00 ET (13:00 on early-close days).
 */
export function sessionState(exchange: Exchange, ts: number): SessionState {
  const data = calendarFor(exchange);
  const { day, msOfDay } = toLocal(data.timeZone, ts);
  const minute = msOfDay / 60_000;
  const schedule = scheduleFor(data, day);
  const next = (): number | undefined => nextOpenAfter(data, day, minute);
  if ('closedReason' in schedule) return { state: 'closed', reason: schedule.closedReason, nextOpen: next() };
  if (within(schedule.normal, minute)) return schedule.note ? { state: 'open', reason: schedule.note } : { state: 'open' };
  if (within(schedule.preOpen, minute)) return { state: 'pre_open', reason: `pre-open session; normal market opens at ${hhmm(schedule.normal.start)}`, nextOpen: next() };
  if (within(schedule.closing, minute)) return { state: 'closing', reason: 'closing session (orders at the closing price)', nextOpen: next() };
  const reason =
    minute < schedule.normal.start
      ? schedule.preOpen && minute >= schedule.preOpen.end
        ? `pre-open order matching; normal market opens at ${hhmm(schedule.normal.start)}`
        : `before the open at ${hhmm(schedule.normal.start)}`
      : `after the close at ${hhmm(schedule.normal.end)}${schedule.note ? ` (${schedule.note})` : ''}`;
  return { state: 'closed', reason, nextOpen: next() };
}
