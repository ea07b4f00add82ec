import { TokenBucket } from '../market/token-bucket.js';

/**
 * Per-token request rate: a bucket of `burst` requests refilled at `perSecond`. A request with no
 * token left is answered 429 with the seconds until one is back (`Retry-After`). Buckets live
 * in memory: a restart gives every token a full bucket.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limit: { perSecond: number; burst: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the request may go ahead (and is counted); else the milliseconds to wait. */
  take(key: string): number {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.limit.burst, { tokens: this.limit.perSecond, perMs: 1000 })));
    const now = this.now();
    const wait = bucket.waitMs(now);
    if (wait === 0) bucket.take(now);
    return wait;
  }
}
