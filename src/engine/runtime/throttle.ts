import type { Clock } from '../../domain/clock.js';
import { TokenBucket } from '../../market/token-bucket.js';

/**
 * The engine's send pacing: a token bucket on the engine's clock (`perSecond` sustained with
 * bursts up to `burst`) and an optional per-minute cap. The runtime waits for a token instead of
 * letting a broker answer 429.
 */
export class Throttle {
  private readonly bucket: TokenBucket;
  private readonly minute: number[] = [];

  constructor(
    private readonly clock: Clock,
    perSecond: number,
    burst = Math.max(1, Math.floor(perSecond)),
    private readonly perMinute?: number,
  ) {
    this.bucket = new TokenBucket(burst, { tokens: perSecond, perMs: 1_000 }, clock.now());
  }

  /** Milliseconds until a token is available (0 = now). Takes the token when it returns 0. */
  take(): number {
    const now = this.clock.now();
    while (this.minute.length && this.minute[0]! <= now - 60_000) this.minute.shift();
    if (this.perMinute !== undefined && this.minute.length >= this.perMinute) return this.minute[0]! + 60_000 - now;
    const wait = this.bucket.waitMs(now);
    if (wait > 0) return wait;
    this.bucket.take(now);
    if (this.perMinute !== undefined) this.minute.push(now);
    return 0;
  }
}
