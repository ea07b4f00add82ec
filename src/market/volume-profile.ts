import type { Exchange } from '../domain/instrument.js';
import { sessionWindow } from './calendar/regular-session.js';

/**
 * Intraday volume profiles as cumulative functions U(s) of the session fraction s ∈ [0, 1]
 * (U(0) = 0, U(1) = 1, non-decreasing). Two shapes, both U-shaped: the one the execution
 * algorithms assume when the broker gives none, and the one the paper market trades along.
 */
export type CumulativeProfile = (sessionFraction: number) => number;

/** A profile as cumulative fractions at the end of each of `bins` equal bins of the session. */
export function cumulativeBins(profile: CumulativeProfile, bins: number): number[] {
  return Array.from({ length: bins }, (_, i) => profile((i + 1) / bins));
}

/**
 * The algorithms' default U shape: intensity 1 + 3·(2s − 1)², four times as much volume per
 * minute at the open and the close as at midday. Integrated and normalised:
 * U(s) = (s + ((2s − 1)³ + 1)/2) / 2.
 */
export const defaultVolumeProfile: CumulativeProfile = (s) => {
  const x = Math.min(1, Math.max(0, s));
  return (x + ((2 * x - 1) ** 3 + 1) / 2) / 2;
};

/** The default profile as cumulative fractions at the end of each of `bins` equal bins. */
export function defaultProfileBins(bins: number): number[] {
  return cumulativeBins(defaultVolumeProfile, bins);
}

/**
 * A broker's profile (cumulative fractions at the end of equal bins of the session) as a
 * piecewise-linear U(s). Returns undefined when the data cannot be a cumulative profile
 * (empty, not finite, decreasing or all zero), so the caller falls back to the default shape.
 */
export function profileFromBins(cumulative: readonly number[]): CumulativeProfile | undefined {
  if (cumulative.length === 0) return undefined;
  let previous = 0;
  for (const v of cumulative) {
    if (!Number.isFinite(v) || v < previous - 1e-12) return undefined;
    previous = v;
  }
  const last = cumulative[cumulative.length - 1]!;
  if (!(last > 0)) return undefined;
  const points = [0, ...cumulative.map((v) => v / last)];
  const bins = cumulative.length;
  return (s) => {
    const x = Math.min(1, Math.max(0, s)) * bins;
    const i = Math.min(bins - 1, Math.floor(x));
    return points[i]! + (points[i + 1]! - points[i]!) * (x - i);
  };
}

/**
 * Share of the day's volume expected in each slice of [start, start + duration) cut into
 * `slices` equal slices, placed in the exchange's session of that day. Time outside the normal
 * session carries no volume, so the weights of a horizon entirely outside it are all zero.
 */
export function sliceVolumeWeights(profile: CumulativeProfile, exchange: Exchange, start: number, duration: number, slices: number): number[] {
  const { open, close } = sessionWindow(exchange, start);
  const at = (t: number) => profile(Math.min(1, Math.max(0, (t - open) / (close - open))));
  const weights: number[] = [];
  for (let j = 0; j < slices; j++) {
    const from = start + (j * duration) / slices;
    const to = start + ((j + 1) * duration) / slices;
    weights.push(Math.max(0, at(to) - at(from)));
  }
  return weights;
}

/*
 * The paper market's volume: heavy at the open, light at midday, heavy again into the close.
 * The density over the session position p ∈ [0, 1] is
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

/** Fraction of the paper market's session volume traded from the open to position `p` (0 → 0, 1 → 1). */
export const cumulativeVolumeFraction: CumulativeProfile = (p) => {
  const x = p <= 0 ? 0 : p >= 1 ? 1 : p;
  return rawCumulative(x) / TOTAL;
};

/** The paper market's volume rate at position `p` relative to the session average (1 = average). */
export function volumeDensity(p: number): number {
  const x = p <= 0 ? 0 : p >= 1 ? 1 : p;
  return (1 + A * Math.exp(-x / TAU_OPEN) + B * Math.exp(-(1 - x) / TAU_CLOSE) + C * (x - 0.5) ** 2) / TOTAL;
}

/** Fraction of the paper market's day volume in each of `bins` equal bins of the session; sums to 1. */
export function intradayVolumeProfile(bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  return cumulativeBins(cumulativeVolumeFraction, bins).map((u, i, all) => u - (i === 0 ? 0 : all[i - 1]!));
}
