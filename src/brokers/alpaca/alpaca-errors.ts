import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';
import { ALPACA_CODES } from './wire-facts.js';

export interface AlpacaProblem {
  code?: number;
  message?: string;
}

export interface AlpacaErrorContext {
  /** `METHOD /path`, without the query. */
  request: string;
  status: number;
  problem?: AlpacaProblem;
  /** The call places, replaces or cancels an order: a 4xx refusal is Alpaca refusing it. */
  orderWrite?: boolean;
}

/**
 * Alpaca's statuses and codes → our kinds: 401 (and 403 without the buying-power code) a key pair
 * Alpaca does not accept, 403 40310000 and 422 on an order write the broker refusing the order,
 * 404 an unknown order, 429 too many requests, 5xx unavailable.
 */
export function alpacaErrorKind(status: number, code: number | undefined, orderWrite = false): BrokerErrorKind {
  if (status === 429 || code === ALPACA_CODES.rateLimited) return 'rate_limited';
  if (status === 401) return 'auth';
  if (status === 403) return code === ALPACA_CODES.insufficientBuyingPower || orderWrite ? 'rejected' : 'auth';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return orderWrite ? 'rejected' : 'input';
  return 'protocol';
}

export function alpacaError(ctx: AlpacaErrorContext): BrokerError {
  const code = ctx.problem?.code;
  const kind = alpacaErrorKind(ctx.status, code, ctx.orderWrite);
  const what = code ? `${code} (HTTP ${ctx.status})` : `HTTP ${ctx.status}`;
  const text = ctx.problem?.message ? `: ${ctx.problem.message}` : '';
  let message = `${ctx.request}: ${what}${text}`;
  let hint: string | undefined;
  if (kind === 'auth') {
    message = `no Alpaca session: Alpaca did not accept the API key pair — ${message}`;
    hint = 'check PTEXEC_ALPACA_API_KEY and PTEXEC_ALPACA_API_SECRET (or run `ptexec brokers login alpaca`); paper keys work only with brokers.alpaca.environment "paper", live keys with "live"';
  }
  if (kind === 'rate_limited') message = `${ctx.request}: rate limited by Alpaca (HTTP ${ctx.status})${text}`;
  return new BrokerError(kind, message, 'alpaca', { status: ctx.status, code: code === undefined ? undefined : String(code), hint });
}
