import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ChargeSchedules, ScheduleFileSchema, ScheduleSchema, type ScheduleDefinition } from '../../engine/charges/schedule.js';
import { shippedData } from './shipped-data.js';

/** An invalid schedule file or `charges` config section; the message names the place. */
export class ChargeScheduleError extends InvalidInputError {
  constructor(message: string) {
    super(message);
    this.name = 'ChargeScheduleError';
  }
}

/** The `charges` section of config.json. */
const ChargesConfigSchema = z
  .object({
    /** A schedule file (same format as data/charges/schedules.json) merged over the shipped one. */
    file: z.string().min(1).optional(),
    /** Schedules by id, merged over the shipped ones and the file (a whole schedule per id). */
    schedules: z.record(z.string(), ScheduleSchema).optional(),
  })
  .strict();

function parseFile(text: string, origin: string): Record<string, ScheduleDefinition> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ChargeScheduleError(`${origin}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = ScheduleFileSchema.safeParse(raw);
  if (!parsed.success) throw new ChargeScheduleError(`${origin}: invalid charge schedule\n${z.prettifyError(parsed.error)}`);
  return parsed.data.schedules;
}

/** `what` names the file in the error, e.g. "charges.file: cannot read /home/…/my-schedules.json". */
function readText(path: string | URL, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ChargeScheduleError(`${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * The shipped schedules, overridden by `config.charges.file`, then `config.charges.schedules`,
 * then an explicit `file` (e.g. a `--schedule` flag). Each override replaces whole schedules by id.
 * A relative `charges.file` is read from `configDir` (the folder of config.json), like every
 * file config.json names.
 */
export function loadChargeSchedules(options: { config?: unknown; file?: string; configDir?: string } = {}): ChargeSchedules {
  const merged: Record<string, ScheduleDefinition> = { ...parseFile(readText(shippedData('charges/schedules.json'), 'cannot read data/charges/schedules.json'), 'data/charges/schedules.json') };
  if (options.config !== undefined) {
    const parsed = ChargesConfigSchema.safeParse(options.config);
    if (!parsed.success) throw new ChargeScheduleError(`config.json "charges": invalid\n${z.prettifyError(parsed.error)}`);
    if (parsed.data.file) {
      const path = resolve(options.configDir ?? process.cwd(), parsed.data.file);
      Object.assign(merged, parseFile(readText(path, `charges.file: cannot read ${path}`), path));
    }
    if (parsed.data.schedules) Object.assign(merged, parsed.data.schedules);
  }
  if (options.file) Object.assign(merged, parseFile(readText(options.file, `cannot read ${options.file}`), options.file));
  const schedules = new ChargeSchedules(merged);
  // Resolve every market once so a broken same_as or a missing per-exchange figure fails here,
  // with the schedule's name, rather than in the middle of a report.
  for (const id of schedules.ids()) {
    for (const exchange of ['NSE', 'BSE', 'NYSE', 'NASDAQ'] as const) {
      try {
        schedules.forMarket(id, exchange);
      } catch (err) {
        throw new ChargeScheduleError(`charge schedule "${id}": ${(err as Error).message}`);
      }
    }
  }
  return schedules;
}
