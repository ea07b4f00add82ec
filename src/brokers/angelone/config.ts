import { z } from 'zod';
import { envOverrides } from '../http/env-overrides.js';
import { ANGEL_API_URL, ANGEL_SCRIP_MASTER_URL } from './wire.js';

/**
 * The `brokers.angelone` section of config.json. The URLs are configurable so the same adapter
 * talks to SmartAPI in production and to the emulator in tests; `PTEXEC_ANGELONE_URL` and
 * `PTEXEC_ANGELONE_INSTRUMENTS_URL` override the file.
 */
export const AngelOneConfigSchema = z.lazy(() =>
  z
    .object({
      api_url: z.url().default(ANGEL_API_URL),
      instruments_url: z.url().default(ANGEL_SCRIP_MASTER_URL),
      /** SmartAPI's `producttype` for our `delivery` and `intraday` products. */
      delivery_product: z.enum(['DELIVERY', 'MARGIN']).default('DELIVERY'),
      intraday_product: z.enum(['INTRADAY', 'MARGIN']).default('INTRADAY'),
      timeout_ms: z.number().int().positive().default(10_000),
      /** How often order updates are polled from the order book (SmartAPI allows it once a second; the limiter holds faster polls to that). */
      poll_ms: z.number().int().min(50).default(1_000),
      /**
       * Paces calls to SmartAPI's published limits (1 order-book read a second, …). Only a server
       * with other limits (a test emulator) may have it off.
       */
      rate_limit: z.boolean().default(true),
      /** The addresses SmartAPI asks every client to declare (X-ClientLocalIP, X-ClientPublicIP, X-MACAddress). */
      client_local_ip: z.string().default('127.0.0.1'),
      client_public_ip: z.string().default('127.0.0.1'),
      mac_address: z.string().default('00:00:00:00:00:00'),
    })
    .strict(),
);

export type AngelOneSettings = z.infer<typeof AngelOneConfigSchema>;

const ENV_OVERRIDES = { api_url: 'PTEXEC_ANGELONE_URL', instruments_url: 'PTEXEC_ANGELONE_INSTRUMENTS_URL' } as const;

/** The keys the environment sets, their values and the variables they come from. */
export function angelOneEnvOverrides(env: NodeJS.ProcessEnv): { values: Record<string, string>; variables: Record<string, string> } {
  return envOverrides(env, ENV_OVERRIDES);
}

/** Validates the section with the environment overrides applied; `error` is a readable message. */
export function parseAngelOneSettings(
  section: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv,
): { settings: AngelOneSettings; error?: undefined } | { settings?: undefined; error: string } {
  const parsed = AngelOneConfigSchema.safeParse({ ...section, ...angelOneEnvOverrides(env).values });
  if (!parsed.success) return { error: `invalid brokers.angelone configuration\n${z.prettifyError(parsed.error)}` };
  return { settings: parsed.data };
}
