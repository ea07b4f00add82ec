import { uniformAt } from './seeded-hash.js';

/**
 * The size an iceberg shows next: `display` moved by up to ±`randomizePct`% (drawn from the
 * seed and the quantity filled so far, so the same order always shows the same sequence), in
 * whole lots, at least one lot, never above display·(1 + pct/100) and never above what remains.
 */
export function icebergShownQuantity(input: { display: number; randomizePct: number; seed: number; filled: number; remaining: number; lot: number }): number {
  const { display, randomizePct, lot, remaining } = input;
  if (remaining <= 0) return 0;
  const ceiling = Math.max(lot, Math.floor((display * (1 + randomizePct / 100)) / lot) * lot);
  let shown = display;
  if (randomizePct > 0) {
    const r = 2 * uniformAt(input.seed, input.filled) - 1;
    shown = display * (1 + (r * randomizePct) / 100);
  }
  const lots = Math.min(ceiling, Math.max(lot, Math.round(shown / lot) * lot));
  return Math.min(lots, remaining);
}
