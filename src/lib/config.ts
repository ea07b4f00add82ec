import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { jsonPlace } from '../domain/input-issue.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { stripJsonComments } from './jsonc.js';

/**
 * `config.json` under the config dir, JSON with comments allowed (`ptexec config init` writes one
 * that explains every key). The core keys are validated here; each area (risk,
 * brokers, paper, charges) validates its own section with its own schema where it is used, so
 * an invalid section is an error (exit 2) and never silently ignored.
 */
const ConfigSchema = z.lazy(() =>
  z
    .object({
      default_broker: z.string().optional(),
      brokers: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
      paper: z.record(z.string(), z.unknown()).optional(),
      risk: z.record(z.string(), z.unknown()).optional(),
      charges: z.record(z.string(), z.unknown()).optional(),
      /** The PM's trading accounts (README "Accounts"), validated by `app/loaders/accounts-config.ts`. */
      accounts: z.record(z.string(), z.unknown()).optional(),
      /** How legs are routed across accounts (README "Routing"), validated where it is used. */
      routing: z.record(z.string(), z.unknown()).optional(),
      /** Group rebalances (README "Failover"): how long a broker may stay down before its run stops and its unsent legs move. */
      failover: z.object({ outage_seconds: z.number().int().min(1).max(3600).optional() }).strict().optional(),
      /** Target files (README "Input formats"): the largest accepted, in bytes. */
      input: z.object({ max_bytes: z.number().int().positive() }).strict().optional(),
      /** Intraday volume curves VWAP follows instead of the broker's (README "VWAP's volume profile"): exchange → CSV file, relative to the config's folder. */
      volume_profiles: z.record(z.string(), z.string()).optional(),
      /** Calendar files added to the shipped ones (README "Exchange calendars"), relative to the config's folder. */
      calendars: z.object({ files: z.array(z.string()).optional() }).strict().optional(),
      /** Notification channels (README "Notifications"), validated by their own schema where they are used. */
      notify: z.record(z.string(), z.unknown()).optional(),
      /** Logs of runs (README "Running unattended"). */
      logs: z
        .object({ file: z.string().optional(), max_bytes: z.number().int().positive().optional(), rotate: z.enum(['size', 'day']).optional(), keep: z.number().int().min(1).optional() })
        .strict()
        .optional(),
    })
    .strict(),
);

export type Config = z.infer<typeof ConfigSchema>;

/** The top-level keys of config.json. */
export function isConfigKey(key: string): boolean {
  return Object.hasOwn(ConfigSchema.unwrap().shape, key);
}

export function loadConfig(path: string): Config {
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(stripJsonComments(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new InvalidInputError(`${path}: not valid JSON (${(err as Error).message})`, 'fix the file or remove it to use the defaults');
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ ...jsonPlace(path, i.path), message: i.message }));
    throw new InvalidInputError(`${path}: invalid configuration`, 'see "Configuration" in the README', { issues });
  }
  return parsed.data;
}


/** The broker a command uses when neither a flag, the target file nor `default_broker` names one. */
export const DEFAULT_BROKER = 'paper';

/**
 * A broker's section of the config, as its adapter validates it: `brokers.<id>`; the paper
 * broker's may also be the top-level `paper` section (the `brokers.paper` keys win).
 */
export function brokerSection(config: Config, id: string): Record<string, unknown> {
  if (id === 'paper') return { ...(config.paper ?? {}), ...(config.brokers?.paper ?? {}) };
  return config.brokers?.[id] ?? {};
}
