/**
 * Splits an integer amount over weights so that the parts are integers that sum to the amount
 * exactly (largest remainder). Used to spread a contract note's charges over its trades: the
 * ledger must balance to the paisa, so no part may be lost to rounding.
 */
export function allocateByWeight(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  if (!Number.isInteger(total)) throw new RangeError(`amount to allocate must be an integer: ${total}`);
  const w = weights.map((x) => BigInt(Math.max(0, Math.round(x))));
  let sum = w.reduce((a, b) => a + b, 0n);
  const even = sum === 0n;
  if (even) sum = BigInt(weights.length);
  const T = BigInt(total);
  const negative = T < 0n;
  const abs = negative ? -T : T;
  const parts = w.map((wi) => (abs * (even ? 1n : wi)) / sum);
  const rems = w.map((wi, i) => ({ i, r: (abs * (even ? 1n : wi)) % sum }));
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  // Largest remainder first; ties go to the earlier item so the result is deterministic.
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rems) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(negative ? -p : p));
}
