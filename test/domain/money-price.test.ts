import { describe, expect, it } from 'vitest';
import { formatMinor, toMinor } from '../../src/domain/money.js';
import { isOnTick, nseTickForPrice, roundPassive, roundToTick } from '../../src/domain/price.js';

describe('money in minor units', () => {
  it('converts decimals exactly, without binary noise', () => {
    expect(toMinor(2500.5)).toBe(250050);
    expect(toMinor(0.1 + 0.2)).toBe(30);
    expect(toMinor(1234.565)).toBe(123457);
    expect(() => toMinor(Number.NaN)).toThrow(RangeError);
  });

  it('formats minor units as decimals', () => {
    expect(formatMinor(250050)).toBe('2500.50');
    expect(formatMinor(-5)).toBe('-0.05');
    expect(formatMinor(0)).toBe('0.00');
  });
});

describe('prices on the tick', () => {
  it('rounds to the nearest, down and up', () => {
    expect(roundToTick(250052, 5)).toBe(250050);
    expect(roundToTick(250053, 5)).toBe(250055);
    expect(roundToTick(250054, 5, 'down')).toBe(250050);
    expect(roundToTick(250051, 5, 'up')).toBe(250055);
    expect(roundToTick(250050, 5, 'up')).toBe(250050);
  });

  it('rounds passively: buys down, sells up', () => {
    expect(roundPassive(100003, 5, 'buy')).toBe(100000);
    expect(roundPassive(100003, 5, 'sell')).toBe(100005);
  });

  it('follows the NSE price-band tick table', () => {
    expect(nseTickForPrice(24999)).toBe(1);
    expect(nseTickForPrice(25000)).toBe(5);
    expect(nseTickForPrice(100000)).toBe(10);
    expect(nseTickForPrice(500000)).toBe(50);
    expect(nseTickForPrice(1000000)).toBe(100);
    expect(nseTickForPrice(2000000)).toBe(500);
    expect(isOnTick(250055, 5)).toBe(true);
    expect(isOnTick(250052, 5)).toBe(false);
  });
});
