import type { Clock } from '../../domain/clock.js';

/**
 * A token bucket on a clock. `reserve()` takes a token now if one is there, otherwise books the
 * next one (the level goes negative) and returns how long to wait for it, so callers are served
 * in arrival order and never stampede when the bucket refills.
 */
export class TokenBucket {
  private level: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    /** Tokens added per second. */
    readonly refillPerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`bucket capacity must be at least 1, got ${capacity}`);
    if (!(refillPerSecond > 0)) throw new RangeError(`bucket refill rate must be positive, got ${refillPerSecond}`);
    this.level = capacity;
    this.updatedAt = clock.now();
  }

  /** Takes one token; returns the wait in ms before it may be used (0 = now). */
  reserve(): number {
    this.refill();
    this.level -= 1;
    if (this.level >= 0) return 0;
    return Math.ceil((-this.level / this.refillPerSecond) * 1000);
  }

  /** Tokens available now (negative while reservations are outstanding). */
  available(): number {
    this.refill();
    return this.level;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.level = Math.min(this.capacity, this.level + (elapsed / 1000) * this.refillPerSecond);
    this.updatedAt = now;
  }
}

/** A published limit: at most `limit` calls per `windowMs`. */
export interface PublishedLimit {
  limit: number;
  windowMs: number;
}

/**
 * The bucket that keeps a published "N per window" limit with a safety margin. A bucket of
 * capacity C refilled at r/s lets through at most C + r·W calls in any window W, so per-second
 * limits get C = 1 (no burst: 10/s becomes one call every 111 ms at a 0.9 margin) and longer
 * windows a burst of a third of the limit with the rest spread over the window.
 */
export function bucketForLimit(limit: PublishedLimit, clock: Clock, safety = 0.9): TokenBucket {
  const seconds = limit.windowMs / 1000;
  if (limit.windowMs <= 1000) return new TokenBucket(1, (limit.limit * safety) / seconds, clock);
  const capacity = Math.max(1, Math.floor(limit.limit / 3));
  const rate = Math.max(limit.limit * safety - capacity, 1) / seconds;
  return new TokenBucket(capacity, rate, clock);
}
