import { z } from 'zod';
import { sha256Hex } from '../../market/hash.js';
import type { RebalanceFlags } from '../../app/rebalance-input.js';
import { httpProblem } from '../problem.js';

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');
const numberText = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'is not a number')]).transform(String);
const integer = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'is not an integer')]).transform(Number);

/**
 * The options of `POST /execute` (and `POST /checks`), as query parameters or as fields of a JSON
 * body beside the target: the flags of `ptexec rebalance`, in snake_case. Validated here for
 * their shape; their meaning is checked by the same code as the flags (an unknown algorithm, a
 * bad duration: 422 naming the field).
 */
export const executeOptionsSchema = z
  .object({
    algo: z.string().min(1).optional().describe('market, limit, twap, vwap, pov, is, iceberg (default market)'),
    duration: z.string().min(1).optional().describe('horizon of each leg, e.g. 30m'),
    slices: integer.optional(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('algorithm parameters, as --param k=v'),
    dry_run: flag.optional().describe('plan and check only; nothing is recorded or sent'),
    allow_partial: flag.optional().describe('when legs are blocked, send the others'),
    allow_duplicate: flag.optional(),
    new_run: flag.optional().describe('trade again even if this target ran today'),
    run_id: z.string().min(1).optional(),
    min_trade_value: numberText.optional(),
    band_pct: numberText.optional(),
    liquidate_unlisted: flag.optional(),
    band: z.string().optional(),
    to: z.string().optional(),
    cash_only: z.string().optional(),
    speed: z.union([z.string(), z.number()]).transform(String).optional().describe('paper: N times real time, or max'),
    seed: integer.optional(),
    wait: flag.optional().describe('answer when the run has ended instead of 202 at once'),
  })
  .strict();

export type ExecuteOptions = z.output<typeof executeOptionsSchema>;
const OPTION_KEYS = new Set(Object.keys(executeOptionsSchema.shape));

/** A request's target, options and (when allowed) credentials, read from its body and query. */
export interface ExecuteInput {
  /** The target as `rebalance` reads a file: JSON (either shape) or CSV. */
  target: { text: string; source: string };
  options: ExecuteOptions;
  credentials?: Record<string, string>;
  /** What identifies the request for its Idempotency-Key: the target and the options, never the credentials. */
  requestHash: string;
}

/**
 * Splits a request into the target `rebalance` would read from a file, the options and the
 * credentials. JSON bodies carry options beside the target's own keys; a CSV body takes them from
 * the query only. Credentials are accepted only when the server was started to allow them.
 */
export function readExecuteInput(body: { text: string; contentType: string }, query: URLSearchParams, allowCredentials: boolean): ExecuteInput {
  const queryOptions = Object.fromEntries(query);
  const type = body.contentType.split(';')[0]!.trim().toLowerCase();
  let targetText = body.text;
  let bodyOptions: Record<string, unknown> = {};
  let credentials: unknown;
  if (type === 'application/json' || type.endsWith('+json') || type === '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch (err) {
      throw httpProblem('malformed-request', 400, `the body is not JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw httpProblem('malformed-request', 400, 'the body must be a JSON object: {"broker", "target_portfolio": [...]} or {"positions": [...]}');
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (k === 'credentials') credentials = v;
      else if (OPTION_KEYS.has(k)) bodyOptions[k] = v;
      else rest[k] = v;
    }
    if (credentials !== undefined || Object.keys(bodyOptions).length) targetText = JSON.stringify(rest);
  } else if (type !== 'text/csv' && type !== 'text/plain') {
    throw httpProblem('unsupported-media-type', 415, `a target is application/json or text/csv, not ${type}`);
  }
  const options = executeOptionsSchema.safeParse({ ...queryOptions, ...bodyOptions });
  if (!options.success) {
    const issues = options.error.issues.map((i) => ({ field: i.path.join('.') || '(options)', message: i.message }));
    throw httpProblem('invalid-input', 422, `invalid options: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`, { exit_code: 2, issues });
  }
  return {
    target: { text: targetText, source: 'request body' },
    options: options.data,
    credentials: readCredentials(credentials, allowCredentials),
    requestHash: sha256Hex(JSON.stringify({ target: targetText, type, options: { ...options.data, wait: undefined } })),
  };
}

function readCredentials(value: unknown, allowed: boolean): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!allowed) {
    throw httpProblem('invalid-input', 422, 'this server does not take credentials in requests; nothing was sent', {
      exit_code: 2,
      hint: 'log the broker in on the server (`ptexec brokers login <broker>`), or start it with `ptexec serve --allow-request-credentials`',
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw httpProblem('invalid-input', 422, 'credentials must be an object of strings, e.g. {"api_key": "…", "access_token": "…"}', { exit_code: 2 });
  }
  return value as Record<string, string>;
}

/** The options as the flags of `ptexec rebalance`, for the same validation and planning. */
export function rebalanceFlags(o: ExecuteOptions): RebalanceFlags {
  return {
    algo: o.algo ?? 'market',
    duration: o.duration,
    slices: o.slices,
    param: o.params ? Object.entries(o.params).map(([k, v]) => `${k}=${String(v)}`) : undefined,
    'dry-run': o.dry_run,
    yes: true,
    'new-run': o.new_run ?? false,
    'run-id': o.run_id,
    'allow-partial': o.allow_partial ?? false,
    'allow-duplicate': o.allow_duplicate,
    'min-trade-value': o.min_trade_value,
    'band-pct': o.band_pct,
    'liquidate-unlisted': o.liquidate_unlisted ?? false,
    band: o.band,
    to: o.to,
    'cash-only': o.cash_only,
    speed: o.speed,
    seed: o.seed,
    'no-ui': true,
  };
}
