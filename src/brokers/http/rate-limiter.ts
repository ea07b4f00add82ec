import type { Clock } from '../../domain/clock.js';
import type { TokenBucket } from '../../market/token-bucket.js';
import { bucketForLimit, type PublishedLimit } from './published-limit.js';

interface Guard {
  limit: PublishedLimit;
  bucket: TokenBucket;
  /** When recent calls actually went out (short windows only), oldest first. */
  sent: number[];
}

/**
 * Rate limits of one broker, per endpoint class ("orders", "quote", "other", …), each class
 * possibly bound by several published limits (per second, per minute, per day). `acquire`
 * waits until every limit of the class allows one more call.
 *
 * The token buckets pace calls smoothly. Because a timer may fire late and let two booked calls
 * leave together, the actual send times of the last window are also checked (with a 30% margin
 * for jitter between our send and the broker's count) before a call is let through: the broker counts arrivals, not bookings.
 */
export class RateLimiter {
  private readonly guards = new Map<string, Guard[]>();
  private readonly disabled: boolean;

  constructor(
    limits: Record<string, readonly PublishedLimit[]>,
    private readonly clock: Clock,
    options: { safety?: number; disabled?: boolean } = {},
  ) {
    this.disabled = options.disabled ?? false;
    for (const [cls, list] of Object.entries(limits)) {
      this.guards.set(
        cls,
        list.map((limit) => ({ limit, bucket: bucketForLimit(limit, clock.now(), options.safety ?? 0.85), sent: [] })),
      );
    }
  }

  /** Waits for a slot in `endpointClass`; unknown classes are not limited. */
  async acquire(endpointClass: string, signal?: AbortSignal): Promise<void> {
    if (this.disabled) return;
    const guards = this.guards.get(endpointClass);
    if (!guards) return;
    let wait = 0;
    const booked = this.clock.now();
    for (const g of guards) wait = Math.max(wait, g.bucket.reserve(booked));
    if (wait > 0) await this.clock.sleep(wait, signal);
    for (;;) {
      const now = this.clock.now();
      let extra = 0;
      for (const g of guards) {
        if (g.limit.windowMs > 60_000) continue;
        const span = g.limit.windowMs * 1.3;
        while (g.sent.length && g.sent[0]! <= now - span) g.sent.shift();
        if (g.sent.length >= g.limit.limit) extra = Math.max(extra, g.sent[g.sent.length - g.limit.limit]! + span - now + 1);
      }
      if (extra <= 0 || signal?.aborted) break;
      await this.clock.sleep(extra, signal);
    }
    const now = this.clock.now();
    for (const g of guards) if (g.limit.windowMs <= 60_000) g.sent.push(now);
  }
}
