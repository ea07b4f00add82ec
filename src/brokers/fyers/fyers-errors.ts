import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';
import { FYERS_ERROR_KIND } from './wire-facts.js';

export interface FyersErrorContext {
  /** `METHOD /path`. */
  request: string;
  status: number;
  code?: number;
  message?: string;
  retryAfterMs?: number;
}

/** The envelope's code decides; an unknown code falls back on the HTTP status. */
export function fyersErrorKind(status: number, code: number | undefined): BrokerErrorKind {
  if (code !== undefined && FYERS_ERROR_KIND[code]) return FYERS_ERROR_KIND[code]!;
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'unavailable';
  if (status === 404) return 'not_found';
  if (status >= 400) return 'input';
  // An error envelope on HTTP 200 with a code we do not know: the broker refused what was asked.
  return 'rejected';
}

export function fyersError(ctx: FyersErrorContext): BrokerError {
  const kind = fyersErrorKind(ctx.status, ctx.code);
  const what = ctx.code !== undefined ? `code ${ctx.code} (HTTP ${ctx.status})` : `HTTP ${ctx.status}`;
  const text = ctx.message ? `: ${ctx.message}` : '';
  let message = `${ctx.request}: ${what}${text}`;
  let hint: string | undefined;
  if (kind === 'auth') {
    message = `the Fyers session is no longer valid (access tokens last one trading day) — ${message}`;
    hint = 'run `ptexec brokers login fyers`, or store your PIN (PTEXEC_FYERS_PIN or "pin" in the credentials file) so ptexec renews the session with the refresh token';
  }
  if (kind === 'rate_limited') message = `${ctx.request}: rate limited by Fyers (${what})${text}`;
  return new BrokerError(kind, message, 'fyers', { status: ctx.status, code: ctx.code === undefined ? undefined : String(ctx.code), retryAfterMs: ctx.retryAfterMs, hint });
}
