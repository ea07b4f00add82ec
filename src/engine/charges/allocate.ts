/**
 * Splits an integer amount over weights so that the parts are integers that sum to the amount
 * exactly (largest remainder). Used to spread a contract note's charges over its trades: the
 * ledger must balance to the paisa, so no part may be lost to rounding.
 */
export function allocateByWeight(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  if (!Number.isInteger(total)) throw new RangeError(`amount to allocate must be an integer: ${total}`);
  if (total === 0) return weights.map(() => 0);
  const fast = allocateSafely(total, weights);
  if (fast) return fast;
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

/** The same split in plain numbers, when every product stays exact (below 2⁵³); else undefined. */
function allocateSafely(total: number, weights: readonly number[]): number[] | undefined {
  const w = weights.map((x) => Math.max(0, Math.round(x)));
  let sum = 0;
  for (const x of w) sum += x;
  const even = sum === 0;
  if (even) sum = w.length;
  const abs = Math.abs(total);
  if (abs * sum > Number.MAX_SAFE_INTEGER) return undefined;
  const parts = new Array<number>(w.length);
  const rems = new Array<{ i: number; r: number }>(w.length);
  let left = abs;
  for (let i = 0; i < w.length; i++) {
    const n = abs * (even ? 1 : w[i]!);
    parts[i] = Math.floor(n / sum);
    rems[i] = { i, r: n % sum };
    left -= parts[i]!;
  }
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : b.r - a.r));
  for (const { i } of rems) {
    if (left === 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return total < 0 ? parts.map((p) => -p + 0) : parts;
}
