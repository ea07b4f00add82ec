import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';
import { UDAPI_TOO_MANY_REQUESTS } from './wire-facts.js';

/** One entry of Upstox's `errors` array. */
export interface UpstoxProblem {
  error_code?: string;
  errorCode?: string;
  message?: string;
  property_path?: string | null;
  invalid_value?: unknown;
}

export interface UpstoxErrorContext {
  /** `METHOD /path`, without the query. */
  request: string;
  status: number;
  problem?: UpstoxProblem;
  /** The call carried the access token (not the token exchange). */
  withAccessToken?: boolean;
  /** The call places, modifies or cancels an order: a 4xx refusal is the broker refusing it. */
  orderWrite?: boolean;
}

/**
 * Upstox's error codes and statuses → our kinds. Upstox names a refusal by HTTP status (401 an
 * invalid or expired token, 403 a missing permission, 404 an unknown order, 429 too many
 * requests) with a `UDAPI…` code and a readable message; a 4xx on an order write is the broker
 * refusing the order (margin, price band, RMS), anything else 4xx is a request it could not take.
 * unverified: codes other than UDAPI10005 (429) and UDAPI100050 (invalid token) are not mapped
 * one by one; the HTTP status carries the meaning.
 */
export function upstoxErrorKind(status: number, code: string | undefined, orderWrite = false): BrokerErrorKind {
  if (status === 429 || code === UDAPI_TOO_MANY_REQUESTS) return 'rate_limited';
  if (status === 401 || code === 'UDAPI100050') return 'auth';
  if (status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return orderWrite ? 'rejected' : 'input';
  return 'protocol';
}

export function upstoxError(ctx: UpstoxErrorContext): BrokerError {
  const code = ctx.problem?.error_code ?? ctx.problem?.errorCode;
  const kind = upstoxErrorKind(ctx.status, code, ctx.orderWrite);
  const what = code ? `${code} (HTTP ${ctx.status})` : `HTTP ${ctx.status}`;
  const text = ctx.problem?.message ? `: ${ctx.problem.message}` : '';
  let message = `${ctx.request}: ${what}${text}`;
  let hint: string | undefined;
  if (kind === 'auth' && ctx.status === 401 && ctx.withAccessToken !== false) {
    message = `the Upstox session is no longer valid (access tokens expire daily at about 03:30 IST) — ${message}`;
    hint = 'run `ptexec brokers login upstox` (or set a fresh PTEXEC_UPSTOX_ACCESS_TOKEN)';
  }
  if (kind === 'rate_limited') message = `${ctx.request}: rate limited by Upstox (HTTP ${ctx.status}${code ? ` ${code}` : ''})${text}`;
  return new BrokerError(kind, message, 'upstox', { status: ctx.status, code, hint });
}
