import { tradesFromCumulative } from './cumulative-rounding.js';
import { linearFractions } from './twap-schedule.js';

/**
 * VWAP: the cumulative target after bin j is Q·U_j with U_j = Σ_{k≤j} u_k / Σ u_k, the share of
 * the horizon's expected volume traded by then. Equivalently each bin gets
 * remaining · u_j / Σ_{k≥j} u_k. Weights that are all zero (a horizon with no expected volume)
 * fall back to equal slices.
 */
export function vwapSchedule(quantity: number, binVolumes: readonly number[], lot = 1): number[] {
  if (binVolumes.length === 0) throw new RangeError('a VWAP schedule needs at least one bin');
  if (binVolumes.some((u) => !Number.isFinite(u) || u < 0)) throw new RangeError('bin volumes must be finite and ≥ 0');
  const total = binVolumes.reduce((a, b) => a + b, 0);
  if (total <= 0) return tradesFromCumulative(linearFractions(binVolumes.length), quantity, lot);
  let sum = 0;
  const fractions = binVolumes.map((u) => (sum += u) / total);
  return tradesFromCumulative(fractions, quantity, lot);
}
