import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import { dayNumber } from './local-time.js';

/**
 * Exchange calendars are data, not code (DESIGN.md "Time"): one JSON file per calendar in
 * `data/calendars/`, published by the exchanges once a year. This file validates them and
 * indexes them by exchange.
 */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const Window = z.tuple([LocalTime, LocalTime]);

const CalendarFileSchema = z
  .object({
    exchanges: z.array(z.enum(EXCHANGES as [Exchange, ...Exchange[]])).min(1),
    timeZone: z.enum(['Asia/Kolkata', 'America/New_York']),
    source: z.string(),
    /** Years the holiday list is complete for; other years fall back to weekends only. */
    years: z.array(z.number().int()),
    hours: z.object({ preOpen: Window.optional(), normal: Window, closing: Window.optional() }).strict(),
    holidays: z.array(z.object({ date: IsoDate, name: z.string().min(1) }).strict()),
    /** Sessions on days that are otherwise closed (budget-day Saturdays, Muhurat trading). */
    specialSessions: z.array(
      z.object({ date: IsoDate, name: z.string().min(1), preOpen: Window.optional(), normal: Window, closing: Window.optional() }).strict(),
    ),
    earlyCloses: z.array(z.object({ date: IsoDate, name: z.string().min(1), close: LocalTime }).strict()),
  })
  .strict();

export type CalendarFile = z.infer<typeof CalendarFileSchema>;
export type SupportedTimeZone = CalendarFile['timeZone'];

/** Minutes after local midnight. */
export interface MinuteWindow {
  start: number;
  end: number;
}

export interface ExchangeCalendarData {
  exchange: Exchange;
  timeZone: SupportedTimeZone;
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

export function parseCalendarFile(raw: unknown, origin: string): CalendarFile {
  const parsed = CalendarFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${origin}: invalid calendar file\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * `data/` sits at the package root, three levels above this file both in the sources
 * (src/engine/calendar/) and in the build (dist/engine/calendar/).
 */
export const CALENDAR_DIR = new URL('../../../data/calendars/', import.meta.url);

let loaded: Map<Exchange, ExchangeCalendarData> | undefined;

/** All shipped calendars, read once per process. */
export function shippedCalendars(): ReadonlyMap<Exchange, ExchangeCalendarData> {
  if (loaded) return loaded;
  const byExchange = new Map<Exchange, ExchangeCalendarData>();
  const dir = fileURLToPath(CALENDAR_DIR);
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const url = new URL(name, CALENDAR_DIR);
    const file = parseCalendarFile(JSON.parse(readFileSync(url, 'utf8')), `data/calendars/${name}`);
    for (const data of indexCalendarFile(file)) byExchange.set(data.exchange, data);
  }
  loaded = byExchange;
  return byExchange;
}

export function calendarFor(exchange: Exchange): ExchangeCalendarData {
  const data = shippedCalendars().get(exchange);
  if (!data) throw new Error(`no calendar shipped for exchange ${exchange} (data/calendars/)`);
  return data;
}
