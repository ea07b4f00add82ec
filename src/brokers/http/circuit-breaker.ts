import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  broker: string;
  clock: Clock;
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through (ms). */
  coolDownMs?: number;
  /** Called once each time the circuit opens, with the error to report. */
  onOpen?: (error: BrokerError) => void;
}

/** Failures that say the API itself is unwell, as opposed to a refused or malformed order. */
export function isApiFailure(err: unknown): boolean {
  return isBrokerError(err) && (err.kind === 'unavailable' || err.kind === 'unknown_outcome' || err.kind === 'protocol');
}

/**
 * One per broker. After `failureThreshold` consecutive API failures it opens: new orders are
 * refused at once with BrokerError('unavailable') instead of hammering a failing API, and
 * `onOpen` raises the alarm. After the cool-down it is half-open: one call goes through; success
 * closes it, failure opens it for another cool-down.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: CircuitState = 'closed';
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly coolDownMs: number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.threshold = options.failureThreshold ?? 5;
    this.coolDownMs = options.coolDownMs ?? 30_000;
  }

  get state(): CircuitState {
    if (this.current === 'open' && this.options.clock.now() - this.openedAt >= this.coolDownMs) return 'half_open';
    return this.current;
  }

  /** Throws if a new order may not be sent now. */
  guard(): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half_open' && !this.trialInFlight) {
      this.current = 'half_open';
      this.trialInFlight = true;
      return;
    }
    const retryInMs = Math.max(0, this.coolDownMs - (this.options.clock.now() - this.openedAt));
    throw new BrokerError(
      'unavailable',
      `circuit open after ${this.failures} consecutive failures; not sending new orders for ${Math.ceil(retryInMs / 1000)} s`,
      this.options.broker,
      { code: 'circuit_open', retryAfterMs: retryInMs },
    );
  }

  /** Runs `fn` behind the breaker, recording its outcome. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.guard();
    try {
      const value = await fn();
      this.recordSuccess();
      return value;
    } catch (err) {
      this.recordFailure(err);
      throw err;
    }
  }

  recordSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  /** Counts `err` if it is an API failure; other errors (input, rejected, auth) say the API works. */
  recordFailure(err: unknown): void {
    if (!isApiFailure(err)) {
      if (isBrokerError(err)) this.recordSuccess();
      return;
    }
    this.failures++;
    const wasTrial = this.current === 'half_open';
    this.trialInFlight = false;
    if (wasTrial || (this.current === 'closed' && this.failures >= this.threshold)) {
      this.current = 'open';
      this.openedAt = this.options.clock.now();
      this.options.onOpen?.(
        new BrokerError(
          'unavailable',
          `${this.failures} consecutive failures (last: ${(err as Error).message}); new orders stopped for ${Math.round(this.coolDownMs / 1000)} s`,
          this.options.broker,
          { code: 'circuit_open' },
        ),
      );
    }
  }
}
