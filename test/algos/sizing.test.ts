import { describe, expect, it } from 'vitest';
import { icebergShownQuantity } from '../../src/engine/algos/iceberg-sizing.js';
import { povChildQuantity, povTarget } from '../../src/engine/algos/pov-sizing.js';
import { uniformAt } from '../../src/engine/algos/seeded-hash.js';
import { fnv1a32 } from '../../src/market/hash.js';

describe('POV sizing', () => {
  const base = { rate: 0.1, minChild: 1, lot: 1, remaining: 100_000 };

  it('trades ρ/(1−ρ) of the volume others traded, so that own volume is ρ of the total', () => {
    // Others trade 9000: own = 1000 makes the total 10000 and our share exactly 10%.
    expect(povChildQuantity({ ...base, marketVolumeSinceStart: 9000, filled: 0 })).toBe(1000);
    expect(povTarget(0.1, 10_000, 1000)).toBeCloseTo(1000, 9);
    expect(povTarget(0.25, 4000, 1000)).toBeCloseTo(1000, 9); // others 3000 · 1/3
  });

  it('sizes each interval from the market volume since the previous one, own fills excluded', () => {
    // Others' cumulative volume at each tick; every child fills before the next tick.
    const others = [0, 1800, 4500, 4500, 13_500, 22_500];
    let filled = 0;
    const children: number[] = [];
    for (const o of others) {
      const q = povChildQuantity({ ...base, marketVolumeSinceStart: o + filled, filled });
      children.push(q);
      filled += q;
    }
    // 1800/9 = 200, 2700/9 = 300, nothing traded, 9000/9 = 1000, 9000/9 = 1000.
    expect(children).toEqual([0, 200, 300, 0, 1000, 1000]);
    expect(filled / (others.at(-1)! + filled)).toBeCloseTo(0.1, 12);
  });

  it('makes up a child that did not fill at the next tick', () => {
    // Target after 1800 of others is 200; only 50 filled, then others trade 2700 more → 500 − 50.
    expect(povChildQuantity({ ...base, marketVolumeSinceStart: 4500 + 50, filled: 50 })).toBe(450);
  });

  it('waits until at least min_child is due, caps at max_child and at the remaining quantity', () => {
    expect(povChildQuantity({ ...base, minChild: 500, marketVolumeSinceStart: 1800, filled: 0 })).toBe(0);
    expect(povChildQuantity({ ...base, minChild: 500, marketVolumeSinceStart: 4500, filled: 0 })).toBe(500);
    expect(povChildQuantity({ ...base, maxChild: 250, marketVolumeSinceStart: 45_000, filled: 0 })).toBe(250);
    expect(povChildQuantity({ ...base, remaining: 120, marketVolumeSinceStart: 45_000, filled: 0 })).toBe(120);
    // A remainder smaller than min_child goes out once it is due in full.
    expect(povChildQuantity({ ...base, minChild: 500, remaining: 120, marketVolumeSinceStart: 1000 + 880, filled: 880 })).toBe(0);
    expect(povChildQuantity({ ...base, minChild: 500, remaining: 120, marketVolumeSinceStart: 9000 + 880, filled: 880 })).toBe(120);
  });

  it('rounds down to whole lots', () => {
    expect(povChildQuantity({ ...base, lot: 50, minChild: 50, marketVolumeSinceStart: 9000, filled: 0 })).toBe(1000);
    expect(povChildQuantity({ ...base, lot: 75, minChild: 75, marketVolumeSinceStart: 9000, filled: 0 })).toBe(975);
  });
});

describe('iceberg sizing', () => {
  it('shows exactly display without randomisation, and never more than remains', () => {
    expect(icebergShownQuantity({ display: 100, randomizePct: 0, seed: 1, filled: 0, remaining: 1000, lot: 1 })).toBe(100);
    expect(icebergShownQuantity({ display: 100, randomizePct: 0, seed: 1, filled: 960, remaining: 40, lot: 1 })).toBe(40);
    expect(icebergShownQuantity({ display: 100, randomizePct: 0, seed: 1, filled: 0, remaining: 0, lot: 1 })).toBe(0);
  });

  it('stays within display ± pct, in lots, deterministic for a seed', () => {
    const seen = new Set<number>();
    for (let filled = 0; filled < 20_000; filled += 37) {
      const q = icebergShownQuantity({ display: 1000, randomizePct: 20, seed: 42, filled, remaining: 1_000_000, lot: 10 });
      expect(q).toBeGreaterThanOrEqual(800);
      expect(q).toBeLessThanOrEqual(1200);
      expect(q % 10).toBe(0);
      expect(q).toBe(icebergShownQuantity({ display: 1000, randomizePct: 20, seed: 42, filled, remaining: 1_000_000, lot: 10 }));
      seen.add(q);
    }
    expect(seen.size).toBeGreaterThan(10);
  });

  it('seeds from the parent id reproducibly', () => {
    expect(fnv1a32('run1-leg0')).toBe(fnv1a32('run1-leg0'));
    expect(fnv1a32('run1-leg0')).not.toBe(fnv1a32('run1-leg1'));
    for (let i = 0; i < 1000; i++) {
      const u = uniformAt(7, i);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });
});
