import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The calendar's own files rather than its index: every command supplies calendars at start,
// and the session and business-day code is loaded only by the commands that use it.
import { parseCalendarFile, type CalendarFile } from '../../market/calendar/calendar-file.js';
import { supplyCalendars } from '../../market/calendar/supplied.js';
import { shippedData } from './shipped-data.js';

/** The calendar files shipped in `data/calendars/`, checked (plain code, no schema library). */
export function readShippedCalendars(): CalendarFile[] {
  const dir = shippedData('calendars/');
  return readdirSync(fileURLToPath(dir))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => parseCalendarFile(JSON.parse(readFileSync(new URL(name, dir), 'utf8')), `data/calendars/${name}`));
}

/** Hands the shipped calendars to the market module; they are read when a calendar is first needed. */
export function supplyShippedCalendars(): void {
  supplyCalendars(readShippedCalendars);
}
