/**
 * A no-trade band around a line's target weight (README "Drift and bands"). Weights are
 * fractions of the account value; `abs` is in weight points (0.02 = 2 percentage points), `rel`
 * a fraction of the target weight (0.25 = a quarter of it). A line is outside its band when
 * |current − target| > abs, or when |current − target| / target > rel. A target weight of 0 has
 * no relative drift to measure: under a `rel` band any holding of it is outside (it should not
 * be held at all), under an `abs` band only a holding above `abs` is.
 */
export interface DriftBand {
  abs?: number;
  rel?: number;
}

/** One line's drift: weights as fractions of the account value. */
export interface Drift {
  currentWeight: number;
  targetWeight: number;
  /** current − target, in weight points. */
  absDrift: number;
  /** absDrift / target; null for a target weight of 0. */
  relDrift: number | null;
  absOutside: boolean;
  relOutside: boolean;
  outside: boolean;
}

/** Weights are compared after rounding away float noise far below a paisa of any account. */
const EPSILON = 1e-12;

export function driftOf(currentWeight: number, targetWeight: number, band: DriftBand): Drift {
  const absDrift = currentWeight - targetWeight;
  const relDrift = targetWeight > 0 ? absDrift / targetWeight : null;
  const absOutside = band.abs !== undefined && Math.abs(absDrift) > band.abs + EPSILON;
  const relOutside = band.rel !== undefined && (relDrift === null ? currentWeight > EPSILON : Math.abs(relDrift) > band.rel + EPSILON);
  return { currentWeight, targetWeight, absDrift, relDrift, absOutside, relOutside, outside: absOutside || relOutside };
}

/** How far from the target the band lets a line drift (weight points): the narrower of the two. */
export function bandHalfWidth(targetWeight: number, band: DriftBand): number {
  const byAbs = band.abs ?? Infinity;
  const byRel = band.rel === undefined ? Infinity : band.rel * targetWeight;
  return Math.min(byAbs, byRel);
}

/** The band's edge nearest to `currentWeight`; `currentWeight` itself when it is inside the band. */
export function nearestBandEdge(currentWeight: number, targetWeight: number, band: DriftBand): number {
  const w = bandHalfWidth(targetWeight, band);
  if (!Number.isFinite(w)) return currentWeight;
  if (currentWeight > targetWeight + w) return targetWeight + w;
  if (currentWeight < targetWeight - w) return Math.max(0, targetWeight - w);
  return currentWeight;
}

export function hasBand(band: DriftBand | undefined): band is DriftBand {
  return band !== undefined && (band.abs !== undefined || band.rel !== undefined);
}

/** A line's own band wins, limit by limit, over the run's. */
export function bandFor(line: DriftBand | undefined, run: DriftBand | undefined): DriftBand | undefined {
  const merged: DriftBand = { ...(run ?? {}), ...(line ?? {}) };
  return hasBand(merged) ? merged : undefined;
}

/**
 * Parses `abs=2%,rel=25%` (also `abs=0.02`, either part alone): percentages with `%`, fractions
 * without. Returns the problem as a sentence instead of throwing, for the caller to place.
 */
export function parseBandText(text: string): { band: DriftBand } | { problem: string } {
  const band: DriftBand = {};
  const parts = text.trim().split(/\s*,\s*/).filter(Boolean);
  if (!parts.length) return { problem: 'is empty: give abs=2%, rel=25% or both, e.g. abs=2%,rel=25%' };
  for (const part of parts) {
    const m = /^(abs|rel)\s*=\s*([0-9]*\.?[0-9]+)\s*(%?)$/i.exec(part);
    if (!m) return { problem: `has "${part}": write abs=N% or rel=N% (e.g. abs=2%,rel=25%)` };
    const key = m[1]!.toLowerCase() as 'abs' | 'rel';
    if (band[key] !== undefined) return { problem: `gives ${key} twice: give it once` };
    const value = m[3] ? Number(m[2]) / 100 : Number(m[2]);
    const problem = bandLimitProblem(key, value);
    if (problem) return { problem: `${key} ${problem}` };
    band[key] = value;
  }
  return { band };
}

/** What is wrong with one limit of a band (a fraction), to follow its name; undefined when nothing is. */
export function bandLimitProblem(key: 'abs' | 'rel', value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0) return 'must be a non-negative number';
  if (key === 'abs' && value > 1) return 'is above 1 (100 percentage points): write 2% or 0.02';
  if (key === 'rel' && value > 10) return 'is above 10 (1000% of the target weight): write 25% or 0.25';
  return undefined;
}
