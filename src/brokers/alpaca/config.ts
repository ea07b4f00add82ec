import { z } from 'zod';
import { envOverrides } from '../http/env-overrides.js';
import { ALPACA_ENVIRONMENTS, ALPACA_URLS } from './wire-facts.js';

/**
 * The `brokers.alpaca` section of config.json. `environment` picks Alpaca's paper or live
 * addresses; `trading_url`, `stream_url` and `data_url` override them one by one, and
 * `PTEXEC_ALPACA_URL` points the trading API, its stream and the market data at one address (an
 * emulator) unless `PTEXEC_ALPACA_STREAM_URL` / `PTEXEC_ALPACA_DATA_URL` say otherwise.
 */
export const AlpacaConfigSchema = z.lazy(() =>
  z
    .object({
      environment: z.enum(ALPACA_ENVIRONMENTS).default(ALPACA_ENVIRONMENTS[0]),
      trading_url: z.url().optional(),
      stream_url: z.url().optional(),
      data_url: z.url().default(ALPACA_URLS.data),
      /** Market-data feed for quotes: `iex` (free plans) or `sip` (paid). */
      feed: z.enum(['iex', 'sip']).default('iex'),
      timeout_ms: z.number().int().positive().default(10_000),
      /** Silence on the trade_updates stream (pings included) before reconnecting. */
      ws_silence_ms: z.number().int().positive().default(30_000),
    })
    .strict(),
);

export type AlpacaSection = z.infer<typeof AlpacaConfigSchema>;
/** The section with every address resolved. */
export type AlpacaSettings = AlpacaSection & { trading_url: string; stream_url: string };

const ENV_OVERRIDES = { trading_url: 'PTEXEC_ALPACA_URL', stream_url: 'PTEXEC_ALPACA_STREAM_URL', data_url: 'PTEXEC_ALPACA_DATA_URL' } as const;

/** Where each service lives below one base address (how the emulator serves them all). */
export function alpacaUrlsAt(base: string): Record<keyof typeof ENV_OVERRIDES, string> {
  const root = base.replace(/\/+$/, '');
  return { trading_url: root, stream_url: `${root.replace(/^http/, 'ws')}/stream`, data_url: root };
}

/** The keys the environment sets, their values and the variables they come from. */
export function alpacaEnvOverrides(env: NodeJS.ProcessEnv): { values: Record<string, string>; variables: Record<string, string> } {
  const explicit = envOverrides(env, ENV_OVERRIDES);
  const base = env[ENV_OVERRIDES.trading_url];
  if (!base) return explicit;
  for (const [key, value] of Object.entries(alpacaUrlsAt(base))) {
    if (explicit.values[key] !== undefined) continue;
    explicit.values[key] = value;
    explicit.variables[key] = ENV_OVERRIDES.trading_url;
  }
  return explicit;
}

export function parseAlpacaSettings(
  section: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv,
): { settings: AlpacaSettings; error?: undefined } | { settings?: undefined; error: string } {
  const merged: Record<string, unknown> = { ...section, ...alpacaEnvOverrides(env).values };
  const parsed = AlpacaConfigSchema.safeParse(merged);
  if (!parsed.success) return { error: `invalid brokers.alpaca configuration\n${z.prettifyError(parsed.error)}` };
  const urls = ALPACA_URLS.environments[parsed.data.environment];
  return { settings: { ...parsed.data, trading_url: parsed.data.trading_url ?? urls.trading, stream_url: parsed.data.stream_url ?? urls.stream } };
}
