import { z } from 'zod';
import { envOverrides } from '../http/env-overrides.js';
import { IBKR_REPLY_DEFAULTS, IBKR_URLS } from './wire-facts.js';

/**
 * The `brokers.ibkr` section of config.json. ptexec talks to the Client Portal Gateway the user
 * runs (on this machine by default); `PTEXEC_IBKR_URL` points it elsewhere (an emulator), and the
 * WebSocket follows unless `PTEXEC_IBKR_WS_URL` says otherwise.
 *
 * TLS: the gateway serves a self-signed certificate, so verification is off by default for a
 * gateway on a loopback address only (nothing leaves the machine); for any other host it is on
 * and cannot be turned off — give the gateway's certificate as `ca_file` instead.
 */
export const IbkrConfigSchema = z.lazy(() =>
  z
    .object({
      api_url: z.url().default(IBKR_URLS.api),
      ws_url: z.url().optional(),
      /** The account to trade (`U1234567`, `DU1234567`); the gateway's selected account when absent. */
      account: z.string().regex(/^[A-Z0-9]{4,20}$/).optional(),
      /** Verify the gateway's TLS certificate; default: off for a loopback gateway, on otherwise. */
      verify_tls: z.boolean().optional(),
      /** A PEM file with the gateway's certificate (or its CA), to verify it. */
      ca_file: z.string().min(1).optional(),
      /** Order reply messages ptexec confirms or refuses, by IBKR message id (`o163`); unknown ones are refused. */
      order_replies: z
        .object({
          confirm: z.array(z.string().regex(/^[a-z]\d+$/)).default([...IBKR_REPLY_DEFAULTS.confirm]),
          refuse: z.array(z.string().regex(/^[a-z]\d+$/)).default([...IBKR_REPLY_DEFAULTS.refuse]),
        })
        .strict()
        .default({ confirm: [...IBKR_REPLY_DEFAULTS.confirm], refuse: [...IBKR_REPLY_DEFAULTS.refuse] }),
      timeout_ms: z.number().int().positive().default(10_000),
      /** How often the session is kept alive with `/tickle` (IBKR: about once a minute). */
      tickle_ms: z.number().int().positive().default(60_000),
      /** Wait after asking the gateway to reauthenticate before checking its session again. */
      reauth_wait_ms: z.number().int().nonnegative().default(1_000),
      /** Wait after a snapshot's pre-flight request before asking again for the fields. */
      snapshot_retry_ms: z.number().int().nonnegative().default(500),
      /** Silence on the WebSocket (heartbeats included) before reconnecting. */
      ws_silence_ms: z.number().int().positive().default(30_000),
    })
    .strict(),
);

export type IbkrSettings = z.infer<typeof IbkrConfigSchema> & { ws_url: string; verify_tls: boolean };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a URL names this machine. */
export function isLoopback(url: string): boolean {
  return LOOPBACK.has(new URL(url).hostname.toLowerCase());
}

export function parseIbkrSettings(
  section: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv,
): { settings: IbkrSettings; error?: undefined } | { settings?: undefined; error: string } {
  const merged: Record<string, unknown> = { ...section, ...ibkrEnvOverrides(env).values };
  const parsed = IbkrConfigSchema.safeParse(merged);
  if (!parsed.success) return { error: `invalid brokers.ibkr configuration\n${z.prettifyError(parsed.error)}` };
  const s = parsed.data;
  const local = isLoopback(s.api_url);
  if (s.verify_tls === false && !local) {
    return { error: `invalid brokers.ibkr configuration: verify_tls may be false only for a gateway on this machine, not ${new URL(s.api_url).host}; give its certificate as ca_file instead` };
  }
  const verify = s.verify_tls ?? (s.ca_file !== undefined || !local);
  const ws = s.ws_url ?? `${s.api_url.replace(/^http/, 'ws').replace(/\/+$/, '')}/ws`;
  return { settings: { ...s, ws_url: ws, verify_tls: verify } };
}

const ENV_OVERRIDES = { api_url: 'PTEXEC_IBKR_URL', ws_url: 'PTEXEC_IBKR_WS_URL', account: 'PTEXEC_IBKR_ACCOUNT' } as const;

/** The keys the environment sets, their values and the variables they come from. */
export function ibkrEnvOverrides(env: NodeJS.ProcessEnv): { values: Record<string, string>; variables: Record<string, string> } {
  return envOverrides(env, ENV_OVERRIDES);
}
