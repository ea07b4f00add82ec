import type { Exchange } from '../../domain/instrument.js';
import { sessionWindow } from './trading-session.js';

/**
 * Intraday volume profiles as cumulative functions U(s) of the session fraction s ∈ [0, 1]
 * (U(0) = 0, U(1) = 1, non-decreasing).
 */
export type CumulativeProfile = (sessionFraction: number) => number;

/**
 * The default U shape: intensity 1 + 3·(2s − 1)², four times as much volume per minute at the
 * open and the close as at midday. Integrated and normalised:
 * U(s) = (s + ((2s − 1)³ + 1)/2) / 2.
 */
export const defaultVolumeProfile: CumulativeProfile = (s) => {
  const x = Math.min(1, Math.max(0, s));
  return (x + ((2 * x - 1) ** 3 + 1) / 2) / 2;
};

/** The default profile as cumulative fractions at the end of each of `bins` equal bins. */
export function defaultProfileBins(bins: number): number[] {
  return Array.from({ length: bins }, (_, i) => defaultVolumeProfile((i + 1) / bins));
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
