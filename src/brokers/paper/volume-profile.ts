/**
 * The intraday volume profile of the paper market: a U shape, heavy at the open, light at
 * midday, heavy again into the close. The density over the session position p ∈ [0, 1] is
 *
 *   d(p) ∝ 1 + A·e^(−p/τo) + B·e^(−(1−p)/τc) + C·(p − ½)²
 *
 * chosen because its integral is closed-form: volume over any interval is O(1) to compute.
 */
const A = 2.4;
const TAU_OPEN = 0.07;
const B = 1.9;
const TAU_CLOSE = 0.06;
const C = 1.2;

function rawCumulative(p: number): number {
  return p + A * TAU_OPEN * (1 - Math.exp(-p / TAU_OPEN)) + B * TAU_CLOSE * (Math.exp(-(1 - p) / TAU_CLOSE) - Math.exp(-1 / TAU_CLOSE)) + (C * ((p - 0.5) ** 3 + 0.125)) / 3;
}

const TOTAL = rawCumulative(1);

/** Fraction of the session's volume traded from the open to position `p` (0 → 0, 1 → 1). */
export function cumulativeVolumeFraction(p: number): number {
  const x = p <= 0 ? 0 : p >= 1 ? 1 : p;
  return rawCumulative(x) / TOTAL;
}

/** Volume rate at position `p` relative to the session average (1 = average). */
export function volumeDensity(p: number): number {
  const x = p <= 0 ? 0 : p >= 1 ? 1 : p;
  return (1 + A * Math.exp(-x / TAU_OPEN) + B * Math.exp(-(1 - x) / TAU_CLOSE) + C * (x - 0.5) ** 2) / TOTAL;
}

/**
 * Fraction of the day's volume in each of `bins` equal bins of the session; sums to 1. This is
 * the default profile the VWAP algorithm schedules against.
 */
export function intradayVolumeProfile(bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const out: number[] = [];
  let previous = 0;
  for (let i = 1; i <= bins; i++) {
    const next = cumulativeVolumeFraction(i / bins);
    out.push(next - previous);
    previous = next;
  }
  return out;
}
