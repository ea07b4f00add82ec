import type { Clock } from '../../domain/clock.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { HttpResponse } from './http-client.js';
import type { RateLimiter } from './rate-limiter.js';
import { withRetries } from './retry.js';

/** What stands between a broker client and the wire: its rate limits, circuit breaker and read retries. */
export interface CallGuards {
  limiter: RateLimiter;
  breaker: CircuitBreaker;
  clock: Clock;
  random?: () => number;
  /** Total tries of a read (default 3). */
  readAttempts?: number;
  /** First backoff between read attempts (ms); doubles with each. */
  retryBaseMs?: number;
}

export interface GuardedCallShape {
  /** The endpoint class whose rate limit the call counts against; none: the call is not limited. */
  cls?: string;
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
}

/**
 * One call under the broker's guards: each try first waits for its rate-limit slot; a read is
 * retried with backoff, a write sent once; the outcome is recorded on the circuit breaker.
 */
export async function guardedCall<T>(guards: CallGuards, call: GuardedCallShape, attempt: () => Promise<T>): Promise<T> {
  const once = async () => {
    if (call.cls !== undefined) await guards.limiter.acquire(call.cls);
    return attempt();
  };
  try {
    const result = call.write ? await once() : await withRetries(once, { clock: guards.clock, attempts: guards.readAttempts ?? 3, baseDelayMs: guards.retryBaseMs, random: guards.random });
    guards.breaker.recordSuccess();
    return result;
  } catch (err) {
    guards.breaker.recordFailure(err);
    throw err;
  }
}

/**
 * `guardedCall` of one HTTP exchange: a 429 or 5xx answer becomes the broker's error (so a read
 * is retried on it); any other answer is returned for the client to read.
 */
export function guardedSend(guards: CallGuards, call: GuardedCallShape, send: () => Promise<HttpResponse>, errorFrom: (res: HttpResponse) => Error): Promise<HttpResponse> {
  return guardedCall(guards, call, async () => {
    const res = await send();
    if (res.status === 429 || res.status >= 500) throw errorFrom(res);
    return res;
  });
}
