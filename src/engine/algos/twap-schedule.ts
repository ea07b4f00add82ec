import { tradesFromCumulative } from './cumulative-rounding.js';

/**
 * TWAP: `slices` equal slices. Each slice is floor(Q/n) or one lot more, the extra lots spread
 * evenly through the horizon (cumulative rounding) so that the total is exactly Q.
 */
export function twapSchedule(quantity: number, slices: number, lot = 1): number[] {
  if (!Number.isInteger(slices) || slices < 1) throw new RangeError(`slices must be a whole number ≥ 1, got ${slices}`);
  return tradesFromCumulative(linearFractions(slices), quantity, lot);
}

/** j/n for j = 1..n: the straight line, computed one way so TWAP and IS with λ = 0 agree exactly. */
export function linearFractions(periods: number): number[] {
  return Array.from({ length: periods }, (_, i) => (i + 1) / periods);
}
