import type { Exchange } from '../domain/instrument.js';
import { sessionWindow } from './calendar/regular-session.js';
import type { SessionLocator } from './trading-session.js';

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

/**
 * Share of the expected volume in each slice of [start, start + duration) cut into `slices` equal
 * slices, in the broker's sessions (`session`): a horizon that runs past a session's end carries
 * on in the next session's curve, and closed time carries no volume. All zero when none of the
 * horizon trades.
 */
export function sessionVolumeWeights(profile: CumulativeProfile, session: SessionLocator, start: number, duration: number, slices: number): number[] {
  const volume = (from: number, to: number) => {
    let total = 0;
    for (let cursor = from, guard = 0; cursor < to && guard < 1000; guard++) {
      const s = session(cursor);
      if (s.start >= to) break;
      const a = Math.max(cursor, s.start);
      const b = Math.min(to, s.end);
      if (b > a) total += profile((b - s.start) / s.length) - profile((a - s.start) / s.length);
      cursor = Math.max(b, s.end);
    }
    return total;
  };
  return Array.from({ length: slices }, (_, j) => Math.max(0, volume(start + (j * duration) / slices, start + ((j + 1) * duration) / slices)));
}

/**
 * The paper market's volume curve: heavy at the open, light at midday, heavy again into the close
 * with a spike in the last minutes. The density over the session position p ∈ [0, 1] is
 *
 *   d(p) ∝ 1 + A·e^(−p/τo) + B·e^(−(1−p)/τc) + S·e^(−(1−p)/τs) + C·(p − ½)²
 *
 * chosen because its integral is closed-form: volume over any interval is O(1) to compute.
 */
export interface VolumeCurveShape {
  open_weight: number;
  open_decay: number;
  close_weight: number;
  close_decay: number;
  close_spike_weight: number;
  close_spike_decay: number;
  midday_curvature: number;
}

export const DEFAULT_VOLUME_CURVE: VolumeCurveShape = {
  open_weight: 2.4,
  open_decay: 0.07,
  close_weight: 1.9,
  close_decay: 0.06,
  close_spike_weight: 6,
  close_spike_decay: 0.008,
  midday_curvature: 1.2,
};

export interface VolumeCurve {
  /** Fraction of the session's volume traded from the open to position `p` (0 → 0, 1 → 1). */
  cumulative: CumulativeProfile;
  /** Volume rate at position `p` relative to the session average (1 = average). */
  density(p: number): number;
}

export function volumeCurve(shape: VolumeCurveShape): VolumeCurve {
  const { open_weight: a, open_decay: to, close_weight: b, close_decay: tc, close_spike_weight: sp, close_spike_decay: ts, midday_curvature: c } = shape;
  const tail = (p: number, w: number, tau: number) => w * tau * (Math.exp(-(1 - p) / tau) - Math.exp(-1 / tau));
  const raw = (p: number) => p + a * to * (1 - Math.exp(-p / to)) + tail(p, b, tc) + tail(p, sp, ts) + (c * ((p - 0.5) ** 3 + 0.125)) / 3;
  const total = raw(1);
  const clamp = (p: number) => (p <= 0 ? 0 : p >= 1 ? 1 : p);
  return {
    cumulative: (p) => raw(clamp(p)) / total,
    density(p) {
      const x = clamp(p);
      return (1 + a * Math.exp(-x / to) + b * Math.exp(-(1 - x) / tc) + sp * Math.exp(-(1 - x) / ts) + c * (x - 0.5) ** 2) / total;
    },
  };
}

const paperCurve = volumeCurve(DEFAULT_VOLUME_CURVE);

/** The default paper curve's cumulative fraction at position `p`. */
export const cumulativeVolumeFraction: CumulativeProfile = paperCurve.cumulative;

/** The default paper curve's volume rate at position `p` relative to the session average. */
export function volumeDensity(p: number): number {
  return paperCurve.density(p);
}

/** Fraction of a session's volume in each of `bins` equal bins of the session; sums to 1. */
export function intradayVolumeProfile(bins: number, profile: CumulativeProfile = cumulativeVolumeFraction): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  return cumulativeBins(profile, bins).map((u, i, all) => u - (i === 0 ? 0 : all[i - 1]!));
}
