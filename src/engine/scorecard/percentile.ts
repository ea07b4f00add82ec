/**
 * The p-th percentile by the nearest-rank rule (the smallest value with at least p% of the sample
 * at or below it, always a value that occurred), of a sample given as counts per value in
 * ascending order of value. Null for an empty sample.
 */
export function nearestRank(ascending: readonly { value: number; count: number }[], p: number): number | null {
  const n = ascending.reduce((sum, v) => sum + v.count, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p * n) / 100));
  let seen = 0;
  for (const v of ascending) {
    seen += v.count;
    if (seen >= rank) return v.value;
  }
  return ascending[ascending.length - 1]!.value;
}
