import type { Clock } from '../../domain/clock.js';
import { isBrokerError } from '../../domain/errors/broker-error.js';

export interface RetryOptions {
  clock: Clock;
  /** Total tries, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Source of jitter in [0, 1); pass a seeded one in tests. */
  random?: () => number;
  /** Which failures are worth another try; by default retryable BrokerErrors (429, 5xx, network). */
  retryable?: (err: unknown) => boolean;
}

/** Exponential backoff with jitter: the n-th wait is uniform in [cap/2, cap], cap = min(max, base·2ⁿ). */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/**
 * Retries a *read* (or any call that is safe to repeat). Never wrap an order placement in this: a
 * placement whose answer was lost is looked up by its client order id before it may be sent again
 * (engine/runtime/unknown-outcome.ts). A 429 carrying Retry-After waits at least that long.
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 3;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 4_000;
  const random = options.random ?? Math.random;
  const retryable = options.retryable ?? ((err: unknown) => isBrokerError(err) && err.retryable);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt + 1 >= attempts || !retryable(err)) throw err;
      const hinted = isBrokerError(err) ? (err.details.retryAfterMs ?? 0) : 0;
      await options.clock.sleep(Math.max(hinted, backoffDelay(attempt, base, max, random)));
    }
  }
}
