import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The calendar's own files rather than its index: every command supplies calendars at start,
// and the session and business-day code is loaded only by the commands that use it.
import { parseCalendarFile, type CalendarFile } from '../../market/calendar/calendar-file.js';
import { mergeCalendarFiles } from '../../market/calendar/merge.js';
import { supplyCalendars } from '../../market/calendar/supplied.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { stripJsonComments } from '../../lib/jsonc.js';
import { configDir, configFilePath } from '../../lib/paths.js';
import { shippedData } from './shipped-data.js';

/** The calendar files shipped in `data/calendars/`, checked (plain code, no schema library). */
export function readShippedCalendars(): CalendarFile[] {
  const dir = shippedData('calendars/');
  return readdirSync(fileURLToPath(dir))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => parseCalendarFile(JSON.parse(readFileSync(new URL(name, dir), 'utf8')), `data/calendars/${name}`));
}

/** A user's calendar file (config.json `calendars.files`), in the shipped files' format. */
export function readUserCalendar(path: string): CalendarFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidInputError(`calendar file ${path} cannot be read: ${(err as Error).message}`, 'fix calendars.files in config.json (paths are relative to its folder)');
  }
  try {
    return parseCalendarFile(raw, path);
  } catch (err) {
    throw new InvalidInputError((err as Error).message, 'see "Exchange calendars" in the README for the format (the files in data/calendars/ are examples)');
  }
}

/**
 * Hands the calendars to the market module: the shipped ones, with the user's files (`files`, or
 * the config's `calendars.files` read when a calendar is first needed) on top of them.
 */
export function supplyShippedCalendars(userFiles: () => readonly string[] = () => []): void {
  supplyCalendars(() => mergeCalendarFiles(readShippedCalendars(), userFiles().map(readUserCalendar)));
}

/**
 * The paths of config.json `calendars.files`, absolute (relative ones are against the config's
 * folder). Read without the config's schema, which every command would otherwise load at start;
 * commands that read the config validate the key.
 */
export function configuredCalendarFiles(env: NodeJS.ProcessEnv): string[] {
  const path = configFilePath(env);
  if (!existsSync(path)) return [];
  let files: unknown;
  try {
    files = (JSON.parse(stripJsonComments(readFileSync(path, 'utf8'))) as { calendars?: { files?: unknown } })?.calendars?.files;
  } catch {
    return [];
  }
  if (!Array.isArray(files)) return [];
  return files.filter((f): f is string => typeof f === 'string').map((file) => (isAbsolute(file) ? file : join(configDir(env), file)));
}
