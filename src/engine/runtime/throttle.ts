import type { Clock } from '../../domain/clock.js';
import { TokenBucket } from '../../market/token-bucket.js';

/**
 * The engine's send pacing: a token bucket on the engine's clock (`perSecond` sustained with
 * bursts up to `burst`) and an optional per-minute cap. The runtime waits for a token instead of
 * letting a broker answer 429. Once it has to wait, it waits for a batch (a tenth of a second's
 * tokens, never more than are queued), so a backlog leaves in batches that share an engine step,
 * its commit and the broker's answers, instead of one order (and one step) per token.
 */
export class Throttle {
  private readonly bucket: TokenBucket;
  private readonly minute: number[] = [];
  /** Orders sent together once the bucket ran dry. */
  private readonly batch: number;
  /** While waiting for a batch: when it is there. */
  private batchAt = 0;

  constructor(
    private readonly clock: Clock,
    perSecond: number,
    burst = Math.max(1, Math.floor(perSecond)),
    private readonly perMinute?: number,
  ) {
    this.bucket = new TokenBucket(burst, { tokens: perSecond, perMs: 1_000 }, clock.now());
    this.batch = Math.max(1, Math.min(burst, Math.floor(perSecond / 10)));
  }

  /**
   * Milliseconds until a token is available (0 = now). Takes the token when it returns 0.
   * `queued`: how many orders wait, the one asking included (the size of a batch to wait for).
   */
  take(queued = 1): number {
    const now = this.clock.now();
    if (now < this.batchAt) return this.batchAt - now;
    while (this.minute.length && this.minute[0]! <= now - 60_000) this.minute.shift();
    if (this.perMinute !== undefined && this.minute.length >= this.perMinute) return this.minute[0]! + 60_000 - now;
    if (this.bucket.waitMs(now) > 0) {
      const wait = this.bucket.waitMsFor(Math.min(queued, this.batch), now);
      this.batchAt = now + wait;
      return wait;
    }
    this.bucket.take(now);
    if (this.perMinute !== undefined) this.minute.push(now);
    return 0;
  }
}
