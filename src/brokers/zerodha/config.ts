import { z } from 'zod';
import { envOverrides } from '../http/env-overrides.js';

/**
 * The `brokers.zerodha` section of config.json. Base URLs are configurable so the same adapter
 * talks to Kite in production and to the emulator in tests; `PTEXEC_ZERODHA_URL`,
 * `PTEXEC_ZERODHA_WS_URL` and `PTEXEC_ZERODHA_LOGIN_URL` override the file.
 */
export const ZerodhaConfigSchema = z.lazy(() =>
  z
    .object({
      api_url: z.url().default('https://api.kite.trade'),
      ws_url: z.url().default('wss://ws.kite.trade'),
      login_url: z.url().default('https://kite.zerodha.com/connect/login'),
      /** Percent protection on MARKET/SL-M orders: -1 lets Kite choose, 1–100 is a percentage. */
      market_protection: z
        .number()
        .int()
        .refine((v) => v === -1 || (v >= 1 && v <= 100), 'must be -1 (automatic) or 1 to 100')
        .default(-1),
      /** Kite product used for our `delivery` and `intraday` products. */
      delivery_product: z.enum(['CNC', 'NRML', 'MTF']).default('CNC'),
      intraday_product: z.enum(['MIS', 'NRML']).default('MIS'),
      timeout_ms: z.number().int().positive().default(10_000),
      /** Instruments per `/quote` call (Kite allows 500). */
      quote_batch: z.number().int().min(1).max(500).default(500),
      /** Silence on the order-update WebSocket before reconnecting (Kite heartbeats about 1/s). */
      ws_silence_ms: z.number().int().positive().default(5_000),
    })
    .strict(),
);

export type ZerodhaSettings = z.infer<typeof ZerodhaConfigSchema>;

/** Validates the section with the environment overrides applied; `error` is a readable message. */
export function parseZerodhaSettings(
  section: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv,
): { settings: ZerodhaSettings; error?: undefined } | { settings?: undefined; error: string } {
  const merged: Record<string, unknown> = { ...section, ...zerodhaEnvOverrides(env).values };
  const parsed = ZerodhaConfigSchema.safeParse(merged);
  if (!parsed.success) return { error: `invalid brokers.zerodha configuration\n${z.prettifyError(parsed.error)}` };
  return { settings: parsed.data };
}

/** The settings the environment overrides: a test emulator's URLs. */
const ENV_OVERRIDES = { api_url: 'PTEXEC_ZERODHA_URL', ws_url: 'PTEXEC_ZERODHA_WS_URL', login_url: 'PTEXEC_ZERODHA_LOGIN_URL' } as const;

/** The keys the environment sets, their values and the variables they come from. */
export function zerodhaEnvOverrides(env: NodeJS.ProcessEnv): { values: Record<string, string>; variables: Record<string, string> } {
  return envOverrides(env, ENV_OVERRIDES);
}
