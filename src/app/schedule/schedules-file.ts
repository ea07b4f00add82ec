import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { configDir } from '../../lib/paths.js';

/** Rebalance flags as `schedule add` parsed them (never secrets: rebalance takes none as flags). */
export type ScheduleFlags = Record<string, string | number | boolean | string[]>;

/** One scheduled rebalance: what `schedule run <name>` does when cron starts it. */
export interface Schedule {
  name: string;
  cron: string;
  /** Absolute path of the target file. */
  target: string;
  flags: ScheduleFlags;
  created_at: string;
}

/** `schedules.json` in the config dir. */
export function schedulesPath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'schedules.json');
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function checkScheduleName(name: string): string {
  if (!NAME.test(name)) throw new InvalidInputError(`schedule name "${name}" is not valid`, 'use up to 40 lowercase letters, digits, - and _, starting with a letter or digit');
  return name;
}

export function readSchedules(path: string): Schedule[] {
  if (!existsSync(path)) return [];
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { schedules?: Schedule[] };
    if (!Array.isArray(parsed.schedules)) throw new Error('no "schedules" list');
    return parsed.schedules;
  } catch (err) {
    throw new InvalidInputError(`${path} cannot be read: ${(err as Error).message}`, 'fix or remove the file (ptexec writes it with `schedule add`)');
  }
}

/** Written whole to a temporary file and renamed over the old one, private (0600) like the credentials. */
export function writeSchedules(path: string, schedules: readonly Schedule[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify({ schedules }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function findSchedule(schedules: readonly Schedule[], name: string): Schedule {
  const found = schedules.find((s) => s.name === name);
  if (!found) throw new InvalidInputError(`no schedule named "${name}"`, schedules.length ? `schedules: ${schedules.map((s) => s.name).join(', ')}` : 'add one with `ptexec schedule add`');
  return found;
}
