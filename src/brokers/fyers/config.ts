import { z } from 'zod';
import { FYERS_API_URL, FYERS_DATA_URL, FYERS_ORDER_SOCKET_URL, FYERS_SYMBOL_MASTER_URL } from './wire-facts.js';

/**
 * The `brokers.fyers` section of config.json. Base URLs are configurable so the same adapter talks
 * to Fyers in production and to the emulator in tests; `PTEXEC_FYERS_URL`, `PTEXEC_FYERS_DATA_URL`,
 * `PTEXEC_FYERS_WS_URL` and `PTEXEC_FYERS_SYMBOLS_URL` override the file.
 */
export const FyersConfigSchema = z.lazy(() =>
  z
    .object({
      api_url: z.url().default(FYERS_API_URL),
      data_url: z.url().default(FYERS_DATA_URL),
      ws_url: z.url().default(FYERS_ORDER_SOCKET_URL),
      symbols_url: z.url().default(FYERS_SYMBOL_MASTER_URL),
      /** The redirect URL registered with the Fyers app (the login page sends the auth code there). */
      redirect_uri: z.url().default('https://trade.fyers.in/api-login/redirect-uri/index.html'),
      /** Fyers product used for our `delivery` and `intraday` products. */
      delivery_product: z.enum(['CNC', 'MTF']).default('CNC'),
      intraday_product: z.enum(['INTRADAY', 'MARGIN']).default('INTRADAY'),
      timeout_ms: z.number().int().positive().default(10_000),
      /** Symbols per `/quotes` call (Fyers allows 50). */
      quote_batch: z.number().int().min(1).max(50).default(50),
      /** Silence on the order socket before reconnecting (ptexec pings every second; Fyers answers `pong`). */
      ws_silence_ms: z.number().int().positive().default(5_000),
    })
    .strict(),
);

export type FyersSettings = z.infer<typeof FyersConfigSchema>;

const ENV_OVERRIDES = { api_url: 'PTEXEC_FYERS_URL', data_url: 'PTEXEC_FYERS_DATA_URL', ws_url: 'PTEXEC_FYERS_WS_URL', symbols_url: 'PTEXEC_FYERS_SYMBOLS_URL' } as const;

/** The keys the environment sets, their values and the variables they come from. */
export function fyersEnvOverrides(env: NodeJS.ProcessEnv): { values: Record<string, string>; variables: Record<string, string> } {
  const values: Record<string, string> = {};
  const variables: Record<string, string> = {};
  for (const [key, variable] of Object.entries(ENV_OVERRIDES)) {
    const value = env[variable];
    if (!value) continue;
    values[key] = value;
    variables[key] = variable;
  }
  return { values, variables };
}

/** Validates the section with the environment overrides applied; `error` is a readable message. */
export function parseFyersSettings(
  section: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv,
): { settings: FyersSettings; error?: undefined } | { settings?: undefined; error: string } {
  const parsed = FyersConfigSchema.safeParse({ ...section, ...fyersEnvOverrides(env).values });
  if (!parsed.success) return { error: `invalid brokers.fyers configuration\n${z.prettifyError(parsed.error)}` };
  return { settings: parsed.data };
}
