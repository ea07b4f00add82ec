import { z } from 'zod';
import { envOverrides } from '../http/env-overrides.js';
import { SCHWAB_DEFAULT_POLL_MS, SCHWAB_MATCH_WINDOW_MS, SCHWAB_MAX_ORDER_LIMIT_PER_MINUTE, SCHWAB_URLS } from './wire-facts.js';

/**
 * The `brokers.schwab` section of config.json. Schwab answers on three bases (the Trader API, the
 * market data API, the OAuth endpoints); `PTEXEC_SCHWAB_URL` points all three at one address (an
 * emulator) unless `PTEXEC_SCHWAB_MARKETDATA_URL` or `PTEXEC_SCHWAB_OAUTH_URL` says otherwise.
 */
export const SchwabConfigSchema = z.lazy(() =>
  z
    .object({
      api_url: z.url().default(SCHWAB_URLS.api),
      marketdata_url: z.url().default(SCHWAB_URLS.marketData),
      oauth_url: z.url().default(SCHWAB_URLS.oauth),
      /** The callback URL registered with the Schwab app; asked for at login when absent. */
      redirect_uri: z.url().optional(),
      /** Which account to trade when the login reaches several (the plain account number); the first one otherwise. */
      account_number: z.string().regex(/^\d{4,12}$/).optional(),
      /** The order limit the Schwab app was registered with (place, replace and cancel calls a minute). */
      order_limit_per_minute: z.number().int().min(1).max(SCHWAB_MAX_ORDER_LIMIT_PER_MINUTE).default(SCHWAB_MAX_ORDER_LIMIT_PER_MINUTE),
      timeout_ms: z.number().int().positive().default(10_000),
      /** How often the order list is read for updates (see wire-facts.ts: why Schwab is polled). */
      poll_ms: z.number().int().min(100).default(SCHWAB_DEFAULT_POLL_MS),
      /** How far from the moment a lost placement went out an order may have been entered to be taken for it. */
      match_window_ms: z.number().int().min(1_000).max(3_600_000).default(SCHWAB_MATCH_WINDOW_MS),
      /**
       * The user's answer when two Schwab orders both look like one ptexec sent and never heard back
       * about: client order id → the Schwab order id that is ptexec's (see "Schwab" in the README).
       */
      claims: z.record(z.string().min(1), z.string().regex(/^\d{1,20}$/)).default({}),
    })
    .strict(),
);

export type SchwabSettings = z.infer<typeof SchwabConfigSchema>;

export function parseSchwabSettings(
  section: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv,
): { settings: SchwabSettings; error?: undefined } | { settings?: undefined; error: string } {
  const merged: Record<string, unknown> = { ...section, ...schwabEnvOverrides(env).values };
  const parsed = SchwabConfigSchema.safeParse(merged);
  if (!parsed.success) return { error: `invalid brokers.schwab configuration\n${z.prettifyError(parsed.error)}` };
  return { settings: parsed.data };
}

const ENV_OVERRIDES = {
  api_url: 'PTEXEC_SCHWAB_URL',
  marketdata_url: 'PTEXEC_SCHWAB_MARKETDATA_URL',
  oauth_url: 'PTEXEC_SCHWAB_OAUTH_URL',
} as const;

/** Where each service lives below one base address (how the emulator serves them all). */
export function schwabUrlsAt(base: string): Record<keyof typeof ENV_OVERRIDES, string> {
  const root = base.replace(/\/+$/, '');
  return { api_url: `${root}/trader/v1`, marketdata_url: `${root}/marketdata/v1`, oauth_url: `${root}/v1/oauth` };
}

/** The keys the environment sets, their values and the variables they come from. */
export function schwabEnvOverrides(env: NodeJS.ProcessEnv): { values: Record<string, string>; variables: Record<string, string> } {
  const explicit = envOverrides(env, ENV_OVERRIDES);
  const base = env[ENV_OVERRIDES.api_url];
  if (!base) return explicit;
  for (const [key, value] of Object.entries(schwabUrlsAt(base))) {
    if (key !== 'api_url' && explicit.values[key] !== undefined) continue;
    explicit.values[key] = value;
    explicit.variables[key] = ENV_OVERRIDES.api_url;
  }
  return explicit;
}
