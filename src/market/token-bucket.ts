/**
 * A token bucket: `capacity` tokens, refilled continuously at `refill.tokens` per `refill.perMs`.
 * Time is passed in with every call, so the bucket runs on any clock (the virtual clock of a
 * test, a simulated market, the wall clock) and never moves backwards with it.
 */
const EPSILON = 1e-9;

export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(
    readonly capacity: number,
    readonly refill: { readonly tokens: number; readonly perMs: number },
    /** When the bucket starts full; by default the time of the first call. */
    startedAt?: number,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`bucket capacity must be at least 1, got ${capacity}`);
    if (!(refill.tokens > 0 && refill.perMs > 0)) throw new RangeError(`bucket refill rate must be positive, got ${refill.tokens} per ${refill.perMs} ms`);
    this.tokens = capacity;
    this.updatedAt = startedAt;
  }

  /** Tokens added per second. */
  get refillPerSecond(): number {
    return (this.refill.tokens * 1000) / this.refill.perMs;
  }

  /** Tokens there at `now` (negative while reservations are outstanding). */
  level(now: number): number {
    this.refillTo(now);
    return this.tokens;
  }

  /** Milliseconds from `now` until a whole token is there (0 = one is there now). Takes nothing. */
  waitMs(now: number): number {
    this.refillTo(now);
    if (this.tokens >= 1 - EPSILON) return 0;
    return Math.ceil(((1 - this.tokens) * this.refill.perMs) / this.refill.tokens);
  }

  /** Milliseconds from `now` until `n` whole tokens are there (at most the capacity). Takes nothing. */
  waitMsFor(n: number, now: number): number {
    this.refillTo(now);
    const want = Math.min(n, this.capacity);
    if (this.tokens >= want - EPSILON) return 0;
    return Math.ceil(((want - this.tokens) * this.refill.perMs) / this.refill.tokens);
  }

  /** Takes one token, whether or not one is there (callers check `waitMs` first). */
  take(now: number): void {
    this.refillTo(now);
    this.tokens -= 1;
  }

  /**
   * Takes a token now if one is there, otherwise books the next one (the level goes negative)
   * and returns how long to wait before using it: callers are served in arrival order and
   * never stampede when the bucket refills.
   */
  reserve(now: number): number {
    this.take(now);
    if (this.tokens >= -EPSILON) return 0;
    return Math.ceil((-this.tokens * this.refill.perMs) / this.refill.tokens);
  }

  private refillTo(now: number): void {
    if (this.updatedAt === undefined || now > this.updatedAt) {
      if (this.updatedAt !== undefined) this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) * this.refill.tokens) / this.refill.perMs);
      this.updatedAt = now;
    }
  }
}
