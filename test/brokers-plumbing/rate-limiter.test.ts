import { describe, expect, it } from 'vitest';
import { bucketForLimit } from '../../src/brokers/http/published-limit.js';
import { RateLimiter } from '../../src/brokers/http/rate-limiter.js';
import { VirtualClock } from '../../src/engine/clock/index.js';

describe('bucketForLimit', () => {
  it('turns a per-second limit into a no-burst bucket at 90% of the rate', () => {
    const b = bucketForLimit({ limit: 10, windowMs: 1000 }, 0);
    expect(b.capacity).toBe(1);
    expect(b.refillPerSecond).toBeCloseTo(9);
    const perMinute = bucketForLimit({ limit: 400, windowMs: 60_000 }, 0);
    // Burst + rate over the window never exceeds the published limit.
    expect(perMinute.capacity + perMinute.refillPerSecond * 60).toBeLessThanOrEqual(400);
  });
});

describe('RateLimiter', () => {
  /** Acquires `n` slots as fast as allowed and returns the virtual time of each. */
  async function acquireTimes(limiter: RateLimiter, clock: VirtualClock, cls: string, n: number): Promise<number[]> {
    const times: number[] = [];
    const all = Promise.all(
      Array.from({ length: n }, () =>
        limiter.acquire(cls).then(() => {
          times.push(clock.now());
        }),
      ),
    );
    await clock.run(all);
    return times;
  }

  it('never lets more than the published number of calls into any one-second window', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter({ orders: [{ limit: 10, windowMs: 1000 }, { limit: 400, windowMs: 60_000 }] }, clock);
    const times = await acquireTimes(limiter, clock, 'orders', 200);
    expect(times).toHaveLength(200);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
    // And it is not needlessly slow: 200 calls at about 7.7/s take about 26 s.
    expect(times.at(-1)!).toBeLessThan(27_000);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('honours the per-minute limit across a long run', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter({ orders: [{ limit: 10, windowMs: 1000 }, { limit: 400, windowMs: 60_000 }] }, clock);
    const times = await acquireTimes(limiter, clock, 'orders', 900);
    for (let i = 0; i < times.length; i += 7) {
      const inMinute = times.filter((t) => t >= times[i]! && t < times[i]! + 60_000).length;
      expect(inMinute).toBeLessThanOrEqual(400);
    }
  });

  it('leaves unknown classes and a disabled limiter unthrottled', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter({ quote: [{ limit: 1, windowMs: 1000 }] }, clock);
    expect(await acquireTimes(limiter, clock, 'other', 50)).toEqual(Array(50).fill(0));
    const off = new RateLimiter({ quote: [{ limit: 1, windowMs: 1000 }] }, clock, { disabled: true });
    expect(await acquireTimes(off, clock, 'quote', 5)).toEqual(Array(5).fill(0));
    const quotes = await acquireTimes(limiter, clock, 'quote', 3);
    expect(quotes[2]! - quotes[1]!).toBeGreaterThanOrEqual(1000);
  });
});
