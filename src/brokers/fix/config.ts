import { z } from 'zod';
import { EXCHANGES } from '../../domain/instrument.js';
import { FIX_DEFAULTS } from './wire-facts.js';

/**
 * One FIX session (`brokers.fix.sessions.<name>` in config.json): where the counterparty listens,
 * the CompIDs both sides agreed, the heartbeat, whether every Logon resets the sequence numbers,
 * TLS, the account (tag 1), the market the session trades, and how the counterparty names
 * symbols. No secrets: the password comes from `PTEXEC_FIX_<SESSION>_PASSWORD` or the credentials
 * file.
 */
export const FixSessionSchema = z.lazy(() =>
  z
    .object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65_535),
      sender_comp_id: z.string().min(1),
      target_comp_id: z.string().min(1),
      heartbeat_seconds: z.number().int().min(1).max(300).default(FIX_DEFAULTS.heartbeatSeconds),
      reset_on_logon: z.boolean().default(false),
      /** TLS on or off; `ca_file` is the counterparty's CA (PEM) when it is not a public one. */
      tls: z.object({ enabled: z.boolean().default(true), ca_file: z.string().optional(), servername: z.string().optional() }).strict().optional(),
      /** Username(553) on the Logon, when the counterparty asks for one (the password is a credential). */
      username: z.string().optional(),
      /** Account(1) on every order. */
      account: z.string().optional(),
      currency: z.enum(['INR', 'USD']),
      exchange: z.enum(EXCHANGES as [string, ...string[]]),
      /** ExDestination(100) on every order, when the counterparty routes by it. */
      ex_destination: z.string().optional(),
      /** How the counterparty writes a symbol: `{symbol}` (default), `{symbol}.NS`, `{exchange}:{symbol}`. */
      symbol_format: z.string().includes('{symbol}').default('{symbol}'),
      /** HandlInst(21): 1 automated private, 2 automated public, 3 manual. */
      handl_inst: z.enum(['1', '2', '3']).default('1'),
      orders_per_second: z.number().int().positive().default(FIX_DEFAULTS.ordersPerSecond),
      clordid_max_length: z.number().int().min(8).max(64).default(FIX_DEFAULTS.clOrdIdMaxLength),
      /** How long an order message may go unanswered before its outcome is unknown, and a query before it fails. */
      timeout_ms: z.number().int().positive().default(10_000),
      /** The order book: OrderMassStatusRequest (AF) where the counterparty answers it, else the execution reports this session received. */
      order_book: z.enum(['mass_status', 'local']).default('mass_status'),
      /** Holdings: RequestForPositions (AN) where the counterparty answers it, else `account_file`. */
      positions: z.enum(['request_for_positions', 'account_file']).default('request_for_positions'),
      /** Start-of-day cash (and holdings, with `positions: account_file`), JSON; FIX 4.4 has no standard cash query. */
      account_file: z.string().optional(),
      /** Quotes by MarketDataRequest (V) snapshots; false where the session carries no market data. */
      market_data: z.boolean().default(true),
      /** Instruments by SecurityListRequest (x), unless listed here (symbol → tick and lot in major units/shares). */
      instruments: z.record(z.string(), z.object({ tick: z.number().positive(), lot: z.number().int().positive().default(1), name: z.string().optional() }).strict()).optional(),
    })
    .strict(),
);

export const FixConfigSchema = z.lazy(() =>
  z.object({ sessions: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'a session name is letters, digits, _ and -'), FixSessionSchema).default({}) }).strict(),
);

export type FixSessionSettings = z.infer<typeof FixSessionSchema>;

/**
 * One session's settings with the environment's overrides: `PTEXEC_FIX_<SESSION>_HOST` and
 * `_PORT` (a test counterparty).
 */
export function parseFixSession(
  section: Record<string, unknown>,
  name: string,
  env: NodeJS.ProcessEnv,
): { settings: FixSessionSettings; error?: undefined } | { settings?: undefined; error: string } {
  const raw = (section.sessions as Record<string, unknown> | undefined)?.[name];
  if (raw === undefined) return { error: `no FIX session "${name}" in brokers.fix.sessions` };
  const prefix = fixEnvPrefix(name);
  const merged: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (env[`${prefix}_HOST`]) merged.host = env[`${prefix}_HOST`];
  if (env[`${prefix}_PORT`]) merged.port = Number(env[`${prefix}_PORT`]);
  const parsed = FixSessionSchema.safeParse(merged);
  if (!parsed.success) return { error: `invalid brokers.fix.sessions.${name} configuration\n${z.prettifyError(parsed.error)}` };
  return { settings: parsed.data };
}

/** `PTEXEC_FIX_<SESSION>`: the prefix of a session's variables (`PTEXEC_FIX_LDN_PASSWORD`). */
export function fixEnvPrefix(session: string): string {
  return `PTEXEC_FIX_${session.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The counterparty's symbol for ours, and back. */
export function symbolCodec(settings: Pick<FixSessionSettings, 'symbol_format' | 'exchange'>): { toFix: (symbol: string) => string; fromFix: (wire: string) => string | undefined } {
  const template = settings.symbol_format.replaceAll('{exchange}', settings.exchange);
  const [before, after] = template.split('{symbol}') as [string, string];
  return {
    toFix: (symbol) => `${before}${symbol}${after}`,
    fromFix: (wire) => (wire.startsWith(before) && wire.endsWith(after) && wire.length > before.length + after.length ? wire.slice(before.length, wire.length - after.length) : undefined),
  };
}
