import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import { dayNumber } from '../day-number.js';
import { EXCHANGE_TIME_ZONES, type ExchangeTimeZone } from '../time-zone.js';

/**
 * Exchange calendars are data, not code (DESIGN.md "Time"): one JSON file per calendar in
 * `data/calendars/`, published by the exchanges once a year. This file checks one file's
 * content and indexes it by exchange; reading the files is the application's (src/app/loaders).
 */
type IsoDate = string;
type LocalWindow = [string, string];

/** One file of `data/calendars/`. */
export interface CalendarFile {
  exchanges: Exchange[];
  timeZone: ExchangeTimeZone;
  source: string;
  /** Years the holiday list is complete for; other years fall back to weekends only. */
  years: number[];
  hours: { preOpen?: LocalWindow; normal: LocalWindow; closing?: LocalWindow };
  holidays: { date: IsoDate; name: string }[];
  /** Sessions on days that are otherwise closed (budget-day Saturdays, Muhurat trading). */
  specialSessions: { date: IsoDate; name: string; preOpen?: LocalWindow; normal: LocalWindow; closing?: LocalWindow }[];
  earlyCloses: { date: IsoDate; name: string; close: string }[];
}

/** Minutes after local midnight. */
export interface MinuteWindow {
  start: number;
  end: number;
}

export interface ExchangeCalendarData {
  exchange: Exchange;
  timeZone: ExchangeTimeZone;
  years: ReadonlySet<number>;
  preOpen?: MinuteWindow;
  normal: MinuteWindow;
  closing?: MinuteWindow;
  /** Keyed by day number (days since 1970-01-01), so lookups on the hot path need no formatting. */
  holidays: ReadonlyMap<number, string>;
  specialSessions: ReadonlyMap<number, { name: string; preOpen?: MinuteWindow; normal: MinuteWindow; closing?: MinuteWindow }>;
  earlyCloses: ReadonlyMap<number, { name: string; close: number }>;
}

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function window([start, end]: [string, string]): MinuteWindow {
  return { start: minutes(start), end: minutes(end) };
}

/** Turns one validated file into the per-exchange form the calendar functions use. */
export function indexCalendarFile(file: CalendarFile): ExchangeCalendarData[] {
  return file.exchanges.map((exchange) => ({
    exchange,
    timeZone: file.timeZone,
    years: new Set(file.years),
    preOpen: file.hours.preOpen && window(file.hours.preOpen),
    normal: window(file.hours.normal),
    closing: file.hours.closing && window(file.hours.closing),
    holidays: new Map(file.holidays.map((h) => [dayNumber(h.date), h.name])),
    specialSessions: new Map(
      file.specialSessions.map((s) => [
        dayNumber(s.date),
        { name: s.name, preOpen: s.preOpen && window(s.preOpen), normal: window(s.normal), closing: s.closing && window(s.closing) },
      ]),
    ),
    earlyCloses: new Map(file.earlyCloses.map((e) => [dayNumber(e.date), { name: e.name, close: minutes(e.close) }])),
  }));
}

const ZONES = [...new Set(Object.values(EXCHANGE_TIME_ZONES))];

/**
 * Checks a calendar file's structure. The files ship with ptexec and the test suite checks them
 * field by field; this check is plain code rather than a schema library so that reading a
 * calendar (every dashboard and settlement date) does not load one.
 */
export function parseCalendarFile(raw: unknown, origin: string): CalendarFile {
  const problems: string[] = [];
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const time = /^([01]\d|2[0-3]):[0-5]\d$/;
  const isWindow = (w: unknown) => Array.isArray(w) && w.length === 2 && w.every((t) => typeof t === 'string' && time.test(t));
  const f = (raw ?? {}) as Partial<CalendarFile>;
  if (!Array.isArray(f.exchanges) || !f.exchanges.length || !f.exchanges.every((e) => (EXCHANGES as readonly string[]).includes(e))) problems.push('exchanges: a non-empty list of known exchanges');
  if (!ZONES.includes(f.timeZone as ExchangeTimeZone)) problems.push(`timeZone: ${ZONES.join(' or ')}`);
  else if (Array.isArray(f.exchanges) && f.exchanges.some((e) => EXCHANGE_TIME_ZONES[e] !== undefined && EXCHANGE_TIME_ZONES[e] !== f.timeZone)) problems.push(`timeZone: ${f.timeZone} is not the zone of ${f.exchanges.join(', ')}`);
  if (typeof f.source !== 'string') problems.push('source: text');
  if (!Array.isArray(f.years) || !f.years.every(Number.isInteger)) problems.push('years: whole numbers');
  const h = f.hours;
  if (!h || !isWindow(h.normal) || (h.preOpen && !isWindow(h.preOpen)) || (h.closing && !isWindow(h.closing))) problems.push('hours: HH:MM windows');
  const dated = (list: unknown, name: string, extra: (x: Record<string, unknown>) => boolean) => {
    if (!Array.isArray(list) || !list.every((x) => x && typeof x.date === 'string' && date.test(x.date) && typeof x.name === 'string' && x.name && extra(x))) problems.push(`${name}: entries with a YYYY-MM-DD date and a name`);
  };
  dated(f.holidays, 'holidays', () => true);
  dated(f.specialSessions, 'specialSessions', (x) => isWindow(x['normal']));
  dated(f.earlyCloses, 'earlyCloses', (x) => typeof x['close'] === 'string' && time.test(x['close']));
  if (problems.length) throw new Error(`${origin}: invalid calendar file: ${problems.join('; ')}`);
  return f as CalendarFile;
}

