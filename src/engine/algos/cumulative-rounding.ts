/**
 * Integer share schedules. Rounding each trade separately lets the total drift from the parent
 * quantity; rounding the *cumulative* target (in lots) and differencing keeps every prefix as
 * close as possible to the real-valued schedule and makes the total exact by construction.
 */

/** Half-up rounding that absorbs binary noise such as 2.4999999999 for an exact 2.5. */
export function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5 + 1e-9);
}

export function assertLots(quantity: number, lot: number): void {
  if (!Number.isInteger(lot) || lot < 1) throw new RangeError(`lot size must be a whole number ≥ 1, got ${lot}`);
  if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`quantity must be a whole number ≥ 0, got ${quantity}`);
  if (quantity % lot !== 0) throw new RangeError(`quantity ${quantity} is not a multiple of the lot size ${lot}`);
}

/**
 * Trades per period from cumulative fractions F_1..F_n of the quantity done by the end of each
 * period (non-decreasing, F_n = 1). Every trade is a multiple of `lot` and they sum to `quantity`.
 */
export function tradesFromCumulative(fractions: readonly number[], quantity: number, lot = 1): number[] {
  assertLots(quantity, lot);
  const lots = quantity / lot;
  const trades: number[] = [];
  let done = 0;
  fractions.forEach((fraction, j) => {
    const isLast = j === fractions.length - 1;
    const target = isLast ? lots : Math.min(lots, Math.max(done, roundHalfUp(fraction * lots)));
    trades.push((target - done) * lot);
    done = target;
  });
  return trades;
}

/** Running sums of a list of trades. */
export function cumulativeSums(trades: readonly number[]): number[] {
  let sum = 0;
  return trades.map((t) => (sum += t));
}

/**
 * The catch-up rule shared by the scheduled algorithms: the slice in progress gets
 * `remaining · w_j / Σ_{k≥j} w_k` (TWAP: remaining / slices left; VWAP: the bin's share of the
 * volume still to come; IS: the rest of the optimal trajectory rescaled). With integer planned
 * trades as weights and every slice filled, this reproduces the planned schedule exactly; a
 * shortfall is spread over the slices still to come. The last slice takes everything left.
 * The suffix sums are computed once, so each call is O(1) however many slices there are.
 */
export function catchUpRule(weights: readonly number[], lot = 1): (remaining: number, slice: number) => number {
  const rest = new Array<number>(weights.length + 1).fill(0);
  for (let k = weights.length - 1; k >= 0; k--) rest[k] = rest[k + 1]! + Math.max(0, weights[k]!);
  return (remaining, slice) => {
    if (remaining <= 0) return 0;
    if (slice >= weights.length - 1) return remaining;
    // Multiply before dividing so that an integer result comes out exact.
    const [weight, total] = rest[slice]! > 0 ? [Math.max(0, weights[slice]!), rest[slice]!] : [1, weights.length - slice];
    return Math.min(remaining, roundHalfUp((remaining * weight) / (total * lot)) * lot);
  };
}

/** One application of {@link catchUpRule}. */
export function catchUpQuantity(remaining: number, weights: readonly number[], slice: number, lot = 1): number {
  return catchUpRule(weights, lot)(remaining, slice);
}
