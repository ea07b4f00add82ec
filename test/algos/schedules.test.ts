import { describe, expect, it } from 'vitest';
import { catchUpQuantity, cumulativeSums, tradesFromCumulative } from '../../src/engine/algos/cumulative-rounding.js';
import { parseDuration, formatDuration } from '../../src/engine/algos/duration.js';
import { twapSchedule } from '../../src/engine/algos/twap-schedule.js';
import { vwapSchedule } from '../../src/engine/algos/vwap-schedule.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('parseDuration', () => {
  it('reads the forms people write', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2h30m')).toBe(9_000_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(' 1H5M ')).toBe(3_900_000);
  });

  it('refuses bare numbers, unknown units and zero', () => {
    for (const bad of ['30', '', '5d', 'm', '1h 30m', '0m', '-5m', '30mins']) expect(() => parseDuration(bad), bad).toThrow(RangeError);
  });

  it('refuses a duration longer than a day, naming the bound and the format', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(() => parseDuration('24h1s')).toThrow('duration "24h1s" is longer than 24h, the longest a leg may work; write it with a unit: 90s, 30m, 1h or 2h30m (at most 24h)');
    expect(() => parseDuration('99999h')).toThrow(/longer than 24h/);
  });

  it('formats back', () => {
    expect(formatDuration(9_000_000)).toBe('2h30m');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(250)).toBe('250ms');
    expect(parseDuration(formatDuration(3_723_004))).toBe(3_723_004);
  });
});

describe('twapSchedule', () => {
  it('gives floor(Q/n) per slice with the remainder spread through the horizon', () => {
    expect(twapSchedule(1000, 10)).toEqual(Array(10).fill(100));
    expect(twapSchedule(10, 3)).toEqual([3, 4, 3]);
    expect(twapSchedule(1003, 7)).toEqual([143, 144, 143, 143, 143, 144, 143]);
    // 0.7, 1.4, 2.1, 2.8, 3.5, 4.2, 4.9, 5.6, 6.3, 7 rounded half up, then differenced.
    expect(twapSchedule(7, 10)).toEqual([1, 0, 1, 1, 1, 0, 1, 1, 0, 1]);
  });

  it('sums exactly to the quantity for many shapes, every slice floor or ceil of Q/n', () => {
    for (let q = 0; q <= 200; q += 7) {
      for (let n = 1; n <= 23; n += 2) {
        const s = twapSchedule(q, n);
        expect(sum(s)).toBe(q);
        for (const x of s) expect(x === Math.floor(q / n) || x === Math.ceil(q / n)).toBe(true);
      }
    }
  });

  it('respects the lot size', () => {
    const s = twapSchedule(1000, 6, 25);
    // 40 lots: cumulative 6.67, 13.33, 20, 26.67, 33.33, 40 → 7, 13, 20, 27, 33, 40 lots.
    expect(s).toEqual([175, 150, 175, 175, 150, 175]);
    expect(sum(s)).toBe(1000);
    for (const x of s) expect(x % 25).toBe(0);
    expect(() => twapSchedule(1010, 6, 25)).toThrow(/not a multiple of the lot size/);
    expect(() => twapSchedule(100, 0)).toThrow(RangeError);
  });
});

describe('vwapSchedule', () => {
  it('follows the bin volumes: Q·U_j cumulative, hand-computed', () => {
    // u = 0.3, 0.15, 0.15, 0.15, 0.25 → U = 0.3, 0.45, 0.6, 0.75, 1.0
    expect(vwapSchedule(1000, [0.3, 0.15, 0.15, 0.15, 0.25])).toEqual([300, 150, 150, 150, 250]);
    // Unnormalised volumes give the same schedule.
    expect(vwapSchedule(1000, [30_000, 15_000, 15_000, 15_000, 25_000])).toEqual([300, 150, 150, 150, 250]);
    // 7 shares over u = 1, 2, 4: U = 1/7, 3/7, 1 → 1, 3, 7 cumulative.
    expect(vwapSchedule(7, [1, 2, 4])).toEqual([1, 2, 4]);
  });

  it('rounds cumulative targets to lots and sums exactly', () => {
    const s = vwapSchedule(990, [0.21, 0.13, 0.11, 0.17, 0.38], 30);
    expect(sum(s)).toBe(990);
    for (const x of s) expect(x % 30).toBe(0);
    // 990 = 33 lots; U·33 = 6.93, 11.22, 14.85, 20.46, 33 → 7, 11, 15, 20, 33 lots.
    expect(s).toEqual([210, 120, 120, 150, 390]);
  });

  it('falls back to equal slices when no volume is expected', () => {
    expect(vwapSchedule(10, [0, 0, 0])).toEqual(twapSchedule(10, 3));
    expect(() => vwapSchedule(10, [])).toThrow(RangeError);
    expect(() => vwapSchedule(10, [1, -1])).toThrow(RangeError);
  });
});

describe('cumulative rounding and catch-up', () => {
  it('never drifts: every prefix is the rounded cumulative target', () => {
    const fractions = [0.123, 0.456, 0.789, 1];
    const trades = tradesFromCumulative(fractions, 997);
    expect(cumulativeSums(trades)).toEqual([123, 455, 787, 997]);
  });

  it('gives remaining / slices left with equal weights', () => {
    const w = Array(10).fill(100);
    expect(catchUpQuantity(950, w, 1)).toBe(106); // 950 / 9 = 105.6
    expect(catchUpQuantity(900, w, 1)).toBe(100);
    expect(catchUpQuantity(37, w, 9)).toBe(37); // the last slice takes everything left
    expect(catchUpQuantity(0, w, 3)).toBe(0);
  });

  it('reproduces the planned schedule exactly when every slice filled', () => {
    const planned = vwapSchedule(1000, [0.3, 0.15, 0.15, 0.15, 0.25]);
    let remaining = 1000;
    const sent = planned.map((_, j) => {
      const q = catchUpQuantity(remaining, planned, j);
      remaining -= q;
      return q;
    });
    expect(sent).toEqual(planned);
  });

  it('spreads a shortfall over the bins still to come in proportion to their weights', () => {
    // 850 left after the first bin filled 150 of 300: 850 · 150 / 700 = 182.1
    expect(catchUpQuantity(850, [300, 150, 150, 150, 250], 1)).toBe(182);
    expect(catchUpQuantity(850, [300, 150, 150, 150, 250], 1, 25)).toBe(175);
    // All remaining weights zero: share equally.
    expect(catchUpQuantity(90, [100, 0, 0, 0], 1)).toBe(30);
  });
});
