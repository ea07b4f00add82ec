import { z } from 'zod';
import { envOverrides } from '../http/env-overrides.js';
import { UPSTOX_URLS } from './wire-facts.js';

/**
 * The `brokers.upstox` section of config.json. Upstox answers on several hosts (the API, the
 * order host, the WebSocket, the login dialog, the instrument master); each is configurable, and
 * `PTEXEC_UPSTOX_URL` points all of them at one address (an emulator) unless its own variable
 * (`PTEXEC_UPSTOX_ORDER_URL`, `_WS_URL`, `_LOGIN_URL`, `_INSTRUMENTS_URL`) says otherwise.
 */
export const UpstoxConfigSchema = z.lazy(() =>
  z
    .object({
      api_url: z.url().default(UPSTOX_URLS.api),
      order_url: z.url().default(UPSTOX_URLS.orders),
      ws_url: z.url().default(UPSTOX_URLS.ws),
      login_url: z.url().default(UPSTOX_URLS.login),
      instruments_url: z.url().default(UPSTOX_URLS.instruments),
      /** The redirect URI registered with the Upstox app; asked for at login when absent. */
      redirect_uri: z.url().optional(),
      /** Upstox product for our `delivery` product (D, or MTF for margin trading). */
      delivery_product: z.enum(['D', 'MTF']).default('D'),
      timeout_ms: z.number().int().positive().default(10_000),
      /** Instruments per quote call. unverified: Upstox documents up to 500 keys per call. */
      quote_batch: z.number().int().min(1).max(500).default(500),
      /** Silence on the order-update WebSocket (pings included) before reconnecting. */
      ws_silence_ms: z.number().int().positive().default(30_000),
    })
    .strict(),
);

export type UpstoxSettings = z.infer<typeof UpstoxConfigSchema>;

export function parseUpstoxSettings(
  section: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv,
): { settings: UpstoxSettings; error?: undefined } | { settings?: undefined; error: string } {
  const merged: Record<string, unknown> = { ...section, ...upstoxEnvOverrides(env).values };
  const parsed = UpstoxConfigSchema.safeParse(merged);
  if (!parsed.success) return { error: `invalid brokers.upstox configuration\n${z.prettifyError(parsed.error)}` };
  return { settings: parsed.data };
}

const ENV_OVERRIDES = {
  api_url: 'PTEXEC_UPSTOX_URL',
  order_url: 'PTEXEC_UPSTOX_ORDER_URL',
  ws_url: 'PTEXEC_UPSTOX_WS_URL',
  login_url: 'PTEXEC_UPSTOX_LOGIN_URL',
  instruments_url: 'PTEXEC_UPSTOX_INSTRUMENTS_URL',
} as const;

/** Where each service lives below one base address (how the emulator serves them all). */
export function upstoxUrlsAt(base: string): Record<keyof typeof ENV_OVERRIDES, string> {
  const root = base.replace(/\/+$/, '');
  return {
    api_url: root,
    order_url: root,
    ws_url: `${root.replace(/^http/, 'ws')}/v2/feed/portfolio-stream-feed`,
    login_url: `${root}/v2/login/authorization/dialog`,
    instruments_url: `${root}/market-quote/instruments/exchange/complete.json.gz`,
  };
}

/** The keys the environment sets, their values and the variables they come from. */
export function upstoxEnvOverrides(env: NodeJS.ProcessEnv): { values: Record<string, string>; variables: Record<string, string> } {
  const explicit = envOverrides(env, ENV_OVERRIDES);
  const base = env[ENV_OVERRIDES.api_url];
  if (!base) return explicit;
  for (const [key, value] of Object.entries(upstoxUrlsAt(base))) {
    if (explicit.values[key] !== undefined) continue;
    explicit.values[key] = value;
    explicit.variables[key] = ENV_OVERRIDES.api_url;
  }
  return explicit;
}
