import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';

/**
 * Groww's error codes and what they mean for us: GA001 is a request Groww could not accept as
 * is, GA004 names something it does not have, GA005 is the session (log in again), GA006 a
 * request it refused to carry out (the order refused), GA000/GA003 the API being unwell. GA007
 * (duplicate reference) is no error to a placement: the adapter looks the order up instead.
 */
const KIND_BY_CODE: Record<string, BrokerErrorKind> = {
  GA000: 'unavailable',
  GA001: 'input',
  GA003: 'unavailable',
  GA004: 'not_found',
  GA005: 'auth',
  GA006: 'rejected',
  GA007: 'input',
};

export function growwErrorKind(status: number, code: string | undefined): BrokerErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (code && KIND_BY_CODE[code]) return KIND_BY_CODE[code]!;
  if (status === 404) return 'not_found';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'input';
  return 'protocol';
}

export interface GrowwErrorContext {
  /** `METHOD /path`, without the query. */
  request: string;
  status: number;
  code?: string;
  message?: string;
  retryAfterMs?: number;
}

export function growwError(ctx: GrowwErrorContext): BrokerError {
  const kind = growwErrorKind(ctx.status, ctx.code);
  const what = ctx.code ? `${ctx.code} (HTTP ${ctx.status})` : `HTTP ${ctx.status}`;
  const text = ctx.message ? `: ${ctx.message}` : '';
  let message = `${ctx.request}: ${what}${text}`;
  let hint: string | undefined;
  if (kind === 'auth') {
    message = `the Groww session is not valid (access tokens expire daily at 06:00 IST) — ${message}`;
    hint = 'run `ptexec brokers login groww` (or set PTEXEC_GROWW_ACCESS_TOKEN to a token from the Trading APIs page of your Groww account)';
  }
  if (kind === 'rate_limited') message = `${ctx.request}: rate limited by Groww (HTTP ${ctx.status})${text}`;
  return new BrokerError(kind, message, 'groww', { status: ctx.status, code: ctx.code, retryAfterMs: ctx.retryAfterMs, hint });
}
