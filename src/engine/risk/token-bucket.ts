/**
 * A token bucket on clock time: `capacity` tokens, refilled continuously at `capacity` per
 * `periodMs`. Time comes from the caller so the bucket works under the virtual clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(
    readonly capacity: number,
    readonly periodMs: number,
  ) {
    this.tokens = capacity;
  }

  private refill(now: number): void {
    if (this.updatedAt !== undefined && now > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) * this.capacity) / this.periodMs);
    }
    if (this.updatedAt === undefined || now > this.updatedAt) this.updatedAt = now;
  }

  /** Whether a token is available now (refilling first). */
  available(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1 - 1e-9;
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Clock time at which the next token will be available. */
  nextAt(now: number): number {
    this.refill(now);
    if (this.tokens >= 1 - 1e-9) return now;
    return now + Math.ceil(((1 - this.tokens) * this.periodMs) / this.capacity);
  }
}
