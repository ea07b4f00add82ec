import type { Clock } from '../../domain/clock.js';
import type { BrokerError } from '../../domain/errors/broker-error.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { CallGuards } from './guarded-call.js';
import type { PublishedLimit } from './published-limit.js';
import { RateLimiter } from './rate-limiter.js';

/** The options every real broker adapter takes for its guards. */
export interface BrokerGuardOptions {
  clock: Clock;
  /** Jitter source for retries and reconnects (seed it in tests). */
  random?: () => number;
  /** Client-side rate limiting from the broker's published limits (on unless benchmarking). */
  rateLimit?: boolean;
  circuit?: { failureThreshold?: number; coolDownMs?: number };
  /** Attempts for reads (first included). */
  readAttempts?: number;
  /** First backoff between read attempts (ms; default 250); doubles with each. */
  retryBaseMs?: number;
}

/**
 * One adapter's guards: a rate limiter over the broker's published limits (or one the adapter
 * built), and a circuit breaker whose opening is reported through `onOpen` (the adapter's error event).
 */
export function brokerGuards(
  broker: string,
  limits: Record<string, readonly PublishedLimit[]> | ((disabled: boolean) => RateLimiter),
  options: BrokerGuardOptions,
  onOpen: (error: BrokerError) => void,
): CallGuards {
  const { clock } = options;
  const disabled = options.rateLimit === false;
  return {
    limiter: typeof limits === 'function' ? limits(disabled) : new RateLimiter(limits, clock, { disabled }),
    breaker: new CircuitBreaker({ broker, clock, failureThreshold: options.circuit?.failureThreshold, coolDownMs: options.circuit?.coolDownMs, onOpen }),
    clock,
    random: options.random,
    readAttempts: options.readAttempts,
    retryBaseMs: options.retryBaseMs,
  };
}
