import { TokenBucket } from '../../market/token-bucket.js';

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
export function bucketForLimit(limit: PublishedLimit, now: number, safety = 0.9): TokenBucket {
  if (limit.windowMs <= 1000) return new TokenBucket(1, { tokens: limit.limit * safety, perMs: limit.windowMs }, now);
  const capacity = Math.max(1, Math.floor(limit.limit / 3));
  return new TokenBucket(capacity, { tokens: Math.max(limit.limit * safety - capacity, 1), perMs: limit.windowMs }, now);
}
