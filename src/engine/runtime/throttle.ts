import type { Clock } from '../../domain/clock.js';

/**
 * A token bucket on the engine's clock: `perSecond` sustained with bursts up to `burst`, and an
 * optional per-minute cap. The runtime waits for a token instead of letting a broker answer 429.
 */
export class Throttle {
  private tokens: number;
  private last: number;
  private readonly minute: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
    private readonly burst = Math.max(1, Math.floor(perSecond)),
    private readonly perMinute?: number,
  ) {
    this.tokens = this.burst;
    this.last = clock.now();
  }

  /** Milliseconds until a token is available (0 = now). Takes the token when it returns 0. */
  take(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    while (this.minute.length && this.minute[0]! <= now - 60_000) this.minute.shift();
    if (this.perMinute !== undefined && this.minute.length >= this.perMinute) return this.minute[0]! + 60_000 - now;
    if (this.tokens < 1) return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
    this.tokens -= 1;
    if (this.perMinute !== undefined) this.minute.push(now);
    return 0;
  }
}
