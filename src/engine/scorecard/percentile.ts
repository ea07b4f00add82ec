/**
 * The p-th percentile of an ascending sample by the nearest-rank rule: the smallest value with at
 * least p% of the sample at or below it (always a value that occurred). Null for an empty sample.
 */
export function nearestRank(ascending: readonly number[], p: number): number | null {
  if (ascending.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[rank - 1]!;
}
