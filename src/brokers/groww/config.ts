import { z } from 'zod';
import { envOverrides } from '../http/env-overrides.js';
import { GROWW_API_URL, GROWW_INSTRUMENTS_URL } from './wire-facts.js';

/**
 * The `brokers.groww` section of config.json. Base URLs are configurable so the same adapter
 * talks to Groww in production and to the emulator in tests; `PTEXEC_GROWW_URL` and
 * `PTEXEC_GROWW_INSTRUMENTS_URL` override the file.
 */
export const GrowwConfigSchema = z.lazy(() =>
  z
    .object({
      api_url: z.url().default(GROWW_API_URL),
      instruments_url: z.url().default(GROWW_INSTRUMENTS_URL),
      /** Groww product used for our `delivery` and `intraday` products. */
      delivery_product: z.enum(['CNC', 'NRML']).default('CNC'),
      intraday_product: z.enum(['MIS', 'NRML']).default('MIS'),
      timeout_ms: z.number().int().positive().default(10_000),
      /** How often the order list is read for updates (Groww has no documented order stream for this client). */
      poll_ms: z.number().int().min(100).default(1_000),
      /**
       * Groww orders are valid for the day only: an immediate-or-cancel order (an algorithm's
       * clean-up) is sent for the day and what has not traded is cancelled this long after.
       */
      ioc_cancel_ms: z.number().int().min(0).default(1_000),
    })
    .strict(),
);

export type GrowwSettings = z.infer<typeof GrowwConfigSchema>;

const ENV_OVERRIDES = { api_url: 'PTEXEC_GROWW_URL', instruments_url: 'PTEXEC_GROWW_INSTRUMENTS_URL' } as const;

/** The keys the environment sets, their values and the variables they come from. */
export function growwEnvOverrides(env: NodeJS.ProcessEnv): { values: Record<string, string>; variables: Record<string, string> } {
  return envOverrides(env, ENV_OVERRIDES);
}

/** Validates the section with the environment overrides applied; `error` is a readable message. */
export function parseGrowwSettings(
  section: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv,
): { settings: GrowwSettings; error?: undefined } | { settings?: undefined; error: string } {
  const parsed = GrowwConfigSchema.safeParse({ ...section, ...growwEnvOverrides(env).values });
  if (!parsed.success) return { error: `invalid brokers.groww configuration\n${z.prettifyError(parsed.error)}` };
  return { settings: parsed.data };
}
