import type { Exchange } from '../../domain/instrument.js';
import { type CalendarFile, type ExchangeCalendarData, indexCalendarFile } from './calendar-file.js';

/**
 * The exchange calendars of this process. The market module reads no files: the application
 * supplies a loader (src/app/loaders/calendars.ts reads `data/calendars/`), called on the first
 * question about a calendar, so commands that never ask one never read them.
 */
let load: (() => readonly CalendarFile[]) | undefined;
let byExchange: Map<Exchange, ExchangeCalendarData> | undefined;

/** Replaces the calendars: `files` is called once, when a calendar is first needed. */
export function supplyCalendars(files: () => readonly CalendarFile[]): void {
  load = files;
  byExchange = undefined;
}

export function calendarFor(exchange: Exchange): ExchangeCalendarData {
  if (!byExchange) {
    if (!load) throw new Error('no exchange calendars were supplied (the application loads them from data/calendars/ before it uses a calendar)');
    const indexed = new Map<Exchange, ExchangeCalendarData>();
    for (const file of load()) for (const data of indexCalendarFile(file)) indexed.set(data.exchange, data);
    byExchange = indexed;
  }
  const data = byExchange.get(exchange);
  if (!data) throw new Error(`no calendar shipped for exchange ${exchange} (data/calendars/)`);
  return data;
}
