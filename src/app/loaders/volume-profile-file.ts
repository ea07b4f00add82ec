import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { InputIssue } from '../../domain/input-issue.js';
import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import { PROFILE_BINS } from '../../engine/runtime/algorithm-context.js';
import { sessionLengthMs } from '../../market/calendar/index.js';
import { splitCsvLine } from '../../market/csv.js';
import { configDir } from '../../lib/paths.js';
import type { Factory } from '../factory.js';

const FIX = 'a volume profile is a CSV "minute,volume": minutes from the session open in increasing order, volume any non-negative number (README "VWAP\'s volume profile")';

/**
 * One exchange's intraday volume curve from a user's file: rows `minute,volume`, each row's volume
 * traded evenly from its minute until the next row's (the last row's until the close). Returned
 * as the algorithms take it: cumulative fractions at the end of PROFILE_BINS equal bins.
 */
export function parseVolumeProfile(text: string, file: string, exchange: Exchange): number[] {
  const sessionMinutes = sessionLengthMs(exchange) / 60_000;
  const issues: InputIssue[] = [];
  const rows: { minute: number; volume: number }[] = [];
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((c) => c.trim().toLowerCase());
  if (header[0] !== 'minute' || header[1] !== 'volume' || header.length !== 2) throw new InvalidInputError(`${file}:1: the header must be "minute,volume"`, FIX);
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '') continue;
    const [m, v, ...rest] = splitCsvLine(line).map((c) => c.trim());
    const minute = Number(m);
    const volume = Number(v);
    const place = { file, line: i + 1 };
    if (rest.length || m === '' || v === undefined || v === '') issues.push({ ...place, message: 'expected two values: minute,volume' });
    else if (!Number.isInteger(minute) || minute < 0 || minute >= sessionMinutes) issues.push({ ...place, message: `minute ${m} is not a whole minute of the ${exchange} session (0 to ${sessionMinutes - 1})` });
    else if (!Number.isFinite(volume) || volume < 0) issues.push({ ...place, message: `volume ${v} is not a non-negative number` });
    else if (rows.length && minute <= rows[rows.length - 1]!.minute) issues.push({ ...place, message: `minute ${minute} does not come after minute ${rows[rows.length - 1]!.minute}` });
    else rows.push({ minute, volume });
  }
  if (!issues.length && !rows.some((r) => r.volume > 0)) issues.push({ file, line: 2, message: 'no row has any volume' });
  if (issues.length) throw new InvalidInputError(`${file}: invalid volume profile for ${exchange}`, FIX, { issues });
  const total = rows.reduce((s, r) => s + r.volume, 0);
  // Volume traded by minute t of the session: whole rows before it, and the share of the row it is in.
  const tradedBy = (t: number): number => {
    let sum = 0;
    for (const [i, r] of rows.entries()) {
      const end = rows[i + 1]?.minute ?? sessionMinutes;
      if (t >= end) sum += r.volume;
      else {
        if (t > r.minute) sum += (r.volume * (t - r.minute)) / (end - r.minute);
        break;
      }
    }
    return sum;
  };
  return Array.from({ length: PROFILE_BINS }, (_, b) => tradedBy(((b + 1) * sessionMinutes) / PROFILE_BINS) / total);
}

/** config.json `volume_profiles` (exchange → file, relative to the config's folder), read and checked. */
export function loadVolumeProfiles(section: Record<string, string> | undefined, configFolder: string): Map<Exchange, number[]> {
  const profiles = new Map<Exchange, number[]>();
  for (const [name, file] of Object.entries(section ?? {})) {
    const exchange = name.toUpperCase() as Exchange;
    if (!EXCHANGES.includes(exchange)) throw new InvalidInputError(`config.json volume_profiles: ${name} is not an exchange`, `use one of ${EXCHANGES.join(', ')}`);
    const path = resolve(configFolder, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new InvalidInputError(`volume profile ${path} cannot be read: ${(err as Error).message}`, 'fix volume_profiles in config.json (paths are relative to its folder)');
    }
    profiles.set(exchange, parseVolumeProfile(text, path, exchange));
  }
  return profiles;
}

/** The user's volume profiles as config.json names them (none when it names none). */
export async function userVolumeProfiles(f: Pick<Factory, 'config' | 'env'>): Promise<Map<Exchange, number[]>> {
  return loadVolumeProfiles((await f.config()).volume_profiles, configDir(f.env));
}
