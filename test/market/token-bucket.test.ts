import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/market/token-bucket.js';

const perSecond = (tokens: number) => ({ tokens, perMs: 1_000 });

describe('TokenBucket', () => {
  it('serves a full bucket at once, then books tokens at the refill rate', () => {
    const bucket = new TokenBucket(3, perSecond(10), 0);
    expect([bucket.reserve(0), bucket.reserve(0), bucket.reserve(0)]).toEqual([0, 0, 0]);
    // Empty: the next three are booked 100, 200 and 300 ms ahead, in arrival order.
    expect([bucket.reserve(0), bucket.reserve(0), bucket.reserve(0)]).toEqual([100, 200, 300]);
    expect(bucket.level(0)).toBeCloseTo(-3);
  });

  it('refills with elapsed time but never above capacity', () => {
    const bucket = new TokenBucket(2, perSecond(4), 0);
    bucket.reserve(0);
    bucket.reserve(0);
    expect(bucket.level(250)).toBeCloseTo(1);
    expect(bucket.level(10_250)).toBe(2);
  });

  it('says when the next whole token is there without taking it, and takes on request', () => {
    // The risk gate's order rate: 5 per second, first used at t = 1000.
    const bucket = new TokenBucket(5, perSecond(5));
    for (let i = 0; i < 5; i++) {
      expect(bucket.waitMs(1_000)).toBe(0);
      bucket.take(1_000);
    }
    expect(bucket.waitMs(1_000)).toBe(200);
    expect(bucket.waitMs(1_000)).toBe(200); // asking takes nothing
    expect(bucket.waitMs(1_150)).toBe(50);
    expect(bucket.waitMs(1_200)).toBe(0);
  });

  it('refills per period: 60 a minute is one a second', () => {
    const bucket = new TokenBucket(60, { tokens: 60, perMs: 60_000 }, 0);
    for (let i = 0; i < 60; i++) bucket.take(0);
    expect(bucket.waitMs(0)).toBe(1_000);
    expect(bucket.refillPerSecond).toBe(1);
  });

  it('ignores a clock that steps back, so no time is counted twice', () => {
    const bucket = new TokenBucket(1, perSecond(1), 0);
    bucket.take(0);
    expect(bucket.waitMs(500)).toBe(500);
    expect(bucket.waitMs(400)).toBe(500); // back in time: still 500 ms from the last refill
    expect(bucket.waitMs(1_000)).toBe(0);
  });

  it('rejects nonsense parameters', () => {
    expect(() => new TokenBucket(0, perSecond(1))).toThrow(RangeError);
    expect(() => new TokenBucket(1, perSecond(0))).toThrow(RangeError);
    expect(() => new TokenBucket(1, { tokens: 1, perMs: 0 })).toThrow(RangeError);
  });
});
