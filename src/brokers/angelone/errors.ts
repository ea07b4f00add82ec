import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';
import { ANGEL_RATE_LIMIT } from './wire.js';

/**
 * SmartAPI's error codes and what they mean for us. The AG… codes are the gateway's token checks;
 * AB… are the trading system's. Session problems are `auth` (log in again); a refused order is
 * `rejected`; "something went wrong" answers are the API being unwell. UNVERIFIED beyond AG8001,
 * AB1050 and AB4008: the meanings follow the documentation's Exceptions table as remembered.
 */
const KIND_BY_CODE: Record<string, BrokerErrorKind> = {
  AG8001: 'auth', // Invalid Token
  AG8002: 'auth', // Token Expired
  AG8003: 'auth', // Token missing
  AG8004: 'auth', // Invalid API Key (UNVERIFIED code)
  AB8050: 'auth', // Invalid Refresh Token
  AB8051: 'auth', // Refresh Token Expired
  AB1000: 'auth', // Invalid Email Or Password
  AB1001: 'auth', // Invalid Email
  AB1002: 'auth', // Invalid Password Length
  AB1005: 'auth', // User Type Must Be USER
  AB1006: 'rejected', // Client is blocked for trading
  AB1007: 'rejected', // AMX Error (the order system's refusal; also "Login Id or password is invalid" on login)
  AB1008: 'input', // Invalid Order Variety
  AB1009: 'input', // Symbol Not Found
  AB1010: 'auth', // AMX Session Expired
  AB1011: 'auth', // Client not login
  AB1012: 'input', // Invalid Product Type
  AB1013: 'not_found', // Order not found
  AB1014: 'not_found', // Trade not found
  AB1015: 'not_found', // Holding not found
  AB1016: 'not_found', // Position not found
  AB1018: 'unavailable', // Failed to get symbol details
  AB1004: 'unavailable', // Something Went Wrong, Please Try After Sometime
  AB2000: 'unavailable', // Error not specified
  AB2001: 'unavailable', // Internal Error, Please try after sometime
  AB2002: 'rejected', // ROBO order is blocked
  AB2003: 'rejected', // Order placement is blocked
  AB4006: 'input', // Invalid symboltoken
  AB4008: 'input', // ordertag longer than 20 characters
  AB1050: 'auth', // Invalid TOTP
  [ANGEL_RATE_LIMIT.code]: 'rate_limited',
};

export const ANGEL_ERROR_CODES = Object.keys(KIND_BY_CODE);

export interface AngelErrorContext {
  /** `METHOD /path`. */
  request: string;
  status: number;
  code?: string;
  message?: string;
  retryAfterMs?: number;
  /** The call carried the JWT (not the login itself). */
  withToken: boolean;
}

export function angelErrorKind(status: number, code: string | undefined, message: string | undefined): BrokerErrorKind {
  if (status === 429 || /exceeding access rate/i.test(message ?? '')) return 'rate_limited';
  if (code && KIND_BY_CODE[code]) return KIND_BY_CODE[code]!;
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'input';
  // A refusal with an unknown code in a 200 answer: the order system said no.
  return 'rejected';
}

export function angelError(ctx: AngelErrorContext): BrokerError {
  const kind = angelErrorKind(ctx.status, ctx.code, ctx.message);
  const what = ctx.code ? `${ctx.code} (HTTP ${ctx.status})` : `HTTP ${ctx.status}`;
  const text = ctx.message ? `: ${ctx.message}` : '';
  let message = `${ctx.request}: ${what}${text}`;
  let hint: string | undefined;
  if (kind === 'auth' && ctx.withToken) {
    message = `the Angel One session is no longer valid (sessions end at midnight IST) — ${message}`;
    hint = 'run `ptexec brokers login angelone`, or store a TOTP secret (PTEXEC_ANGELONE_TOTP_SECRET or totp_secret in the credentials file) so ptexec renews the session itself';
  }
  if (kind === 'rate_limited') message = `${ctx.request}: rate limited by Angel One (HTTP ${ctx.status})${text}`;
  return new BrokerError(kind, message, 'angelone', { status: ctx.status, code: ctx.code, retryAfterMs: kind === 'rate_limited' ? ctx.retryAfterMs : undefined, hint });
}
