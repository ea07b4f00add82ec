import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';

/**
 * Kite's `error_type`s and what they mean for us. Anything carrying `error_type` is an error,
 * whatever the HTTP status. Token/permission/user problems are `auth` (log in again or fix the
 * app's permissions: nothing can be sent); order, margin and holding exceptions are the broker
 * refusing the order; network and data exceptions are the API being unwell.
 */
const KIND_BY_ERROR_TYPE: Record<string, BrokerErrorKind> = {
  TokenException: 'auth',
  PermissionException: 'auth',
  UserException: 'auth',
  InputException: 'input',
  OrderException: 'rejected',
  MarginException: 'rejected',
  HoldingException: 'rejected',
  NetworkException: 'unavailable',
  DataException: 'unavailable',
  GeneralException: 'unavailable',
};

export const KITE_ERROR_TYPES = Object.keys(KIND_BY_ERROR_TYPE);

export interface KiteErrorContext {
  /** `METHOD /path`, without the query (which may carry secrets). */
  request: string;
  status: number;
  errorType?: string;
  message?: string;
  retryAfterMs?: number;
  /** The call carried the access token (not a login or logout call, which carry their own fields). */
  withAccessToken?: boolean;
}

export function kiteErrorKind(status: number, errorType: string | undefined): BrokerErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'not_found';
  if (errorType && KIND_BY_ERROR_TYPE[errorType]) {
    const kind = KIND_BY_ERROR_TYPE[errorType]!;
    // A GeneralException below 500 is a request Kite could not make sense of.
    if (errorType === 'GeneralException' && status < 500) return 'input';
    return kind;
  }
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'input';
  return 'protocol';
}

export function kiteError(ctx: KiteErrorContext): BrokerError {
  const kind = kiteErrorKind(ctx.status, ctx.errorType);
  const what = ctx.errorType ? `${ctx.errorType} (HTTP ${ctx.status})` : `HTTP ${ctx.status}`;
  const text = ctx.message ? `: ${ctx.message}` : '';
  let message = `${ctx.request}: ${what}${text}`;
  if (kind === 'auth' && ctx.errorType === 'TokenException' && ctx.withAccessToken !== false) {
    message = `the Kite session is no longer valid (access tokens expire daily at about 06:00 IST) — ${message}`;
  }
  if (kind === 'rate_limited') message = `${ctx.request}: rate limited by Kite (HTTP 429)${text}`;
  // Kite's exceptions page: a TokenException, "preceded by a 403 header", is the session expired
  // or invalidated ("must relogin"); the API refuses the request itself, so it never reaches the
  // order system (that is NetworkException / DataException). A placement refused so placed nothing.
  const notPlaced = kind === 'auth' && ctx.errorType === 'TokenException' && ctx.status === 403;
  return new BrokerError(kind, message, 'zerodha', { status: ctx.status, code: ctx.errorType, retryAfterMs: ctx.retryAfterMs, ...(notPlaced ? { notPlaced } : {}) });
}
