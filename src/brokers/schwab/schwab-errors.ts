import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';

/** Schwab's error body (`ServiceError`); the OAuth endpoints answer `{error, error_description}`. */
export interface SchwabProblem {
  message?: unknown;
  errors?: unknown;
  error?: unknown;
  error_description?: unknown;
}

export interface SchwabErrorContext {
  /** `METHOD /path`, without the query. */
  request: string;
  status: number;
  problem?: SchwabProblem;
  /** The call places, replaces or cancels an order: a 4xx refusal is Schwab refusing it. */
  orderWrite?: boolean;
  retryAfterMs?: number;
}

export const SCHWAB_LOGIN_HINT = 'run `ptexec brokers login schwab` (Schwab refresh tokens last seven days; then a browser login is needed again)';

/**
 * Schwab's HTTP statuses → our kinds: 401 an invalid or expired token, 403 a call the app or the
 * account may not make, 404 an unknown order or account hash, 429 too many requests, 5xx Schwab
 * unavailable; any other 4xx on an order write is Schwab refusing the order (buying power,
 * validation), and on a read a request it could not take.
 */
export function schwabErrorKind(status: number, orderWrite = false): BrokerErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return orderWrite ? 'rejected' : 'input';
  return 'protocol';
}

/** What Schwab said, in one line: its message and the reasons it listed. */
export function schwabReason(problem: SchwabProblem | undefined): string | undefined {
  if (!problem || typeof problem !== 'object') return undefined;
  const parts: string[] = [];
  if (typeof problem.message === 'string' && problem.message) parts.push(problem.message);
  if (Array.isArray(problem.errors)) for (const e of problem.errors) if (typeof e === 'string' && e && !parts.includes(e)) parts.push(e);
  if (typeof problem.error === 'string') parts.push(typeof problem.error_description === 'string' ? `${problem.error}: ${problem.error_description}` : problem.error);
  return parts.length ? parts.join('; ') : undefined;
}

export function schwabError(ctx: SchwabErrorContext): BrokerError {
  const kind = schwabErrorKind(ctx.status, ctx.orderWrite);
  const reason = schwabReason(ctx.problem);
  const text = reason ? `: ${reason}` : '';
  let message = `${ctx.request}: HTTP ${ctx.status}${text}`;
  let hint: string | undefined;
  if (kind === 'auth' && ctx.status === 401) {
    message = `the Schwab session is no longer valid — ${message}`;
    hint = SCHWAB_LOGIN_HINT;
  }
  if (kind === 'rate_limited') message = `${ctx.request}: rate limited by Schwab (HTTP 429)${text}`;
  return new BrokerError(kind, message, 'schwab', { status: ctx.status, retryAfterMs: ctx.retryAfterMs, hint });
}
