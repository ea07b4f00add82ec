import type { MarketSample } from './types.js';

/**
 * The market prints of one instrument, sorted by time, with the benchmark calculations over a
 * window. Lookups are binary searches so a report over thousands of fills stays fast.
 */
export class MarketSeries {
  private readonly samples: readonly MarketSample[];

  constructor(samples: readonly MarketSample[]) {
    this.samples = [...samples].sort((a, b) => a.ts - b.ts);
  }

  get length(): number {
    return this.samples.length;
  }

  all(): readonly MarketSample[] {
    return this.samples;
  }

  /** Index of the first sample with ts ≥ t (length when none). */
  private firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.samples.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.samples[m]!.ts < t) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** The first sample at or after t. */
  atOrAfter(t: number): MarketSample | undefined {
    return this.samples[this.firstAtOrAfter(t)];
  }

  /** The last sample at or before t. */
  atOrBefore(t: number): MarketSample | undefined {
    const i = this.firstAtOrAfter(t + 1) - 1;
    return i >= 0 ? this.samples[i] : undefined;
  }

  /** The latest sample at or after t: the close benchmark ("the last sample at/after the end"). */
  lastFrom(t: number): MarketSample | undefined {
    const last = this.samples[this.samples.length - 1];
    return last && last.ts >= t ? last : undefined;
  }

  /** The samples in [from, to]. */
  between(from: number, to: number): readonly MarketSample[] {
    return this.samples.slice(this.firstAtOrAfter(from), this.firstAtOrAfter(to + 1));
  }

  /** Samples in [from, to], preceded by the last one before `from` (the volume base). */
  private window(from: number, to: number): MarketSample[] {
    const start = Math.max(0, this.firstAtOrAfter(from) - 1);
    const end = this.firstAtOrAfter(to + 1);
    return this.samples.slice(start, end) as MarketSample[];
  }

  /**
   * Interval VWAP = Σ(Δvolume·price)/ΣΔvolume between consecutive samples over [from, to],
   * pricing each increment at the later sample's last price. A drop in cumulative volume (a new
   * day) contributes nothing. Also returns the market volume, for participation.
   */
  intervalVwap(from: number, to: number): { vwap: number | null; volume: number } {
    const w = this.window(from, to);
    let volume = 0;
    let value = 0;
    for (let i = 1; i < w.length; i++) {
      const dv = w[i]!.volume - w[i - 1]!.volume;
      if (dv <= 0) continue;
      volume += dv;
      value += dv * w[i]!.last;
    }
    return { vwap: volume > 0 ? value / volume : null, volume };
  }

  /** Time-weighted average mid over [from, to]; each sample's mid holds until the next one. */
  twap(from: number, to: number): number | null {
    const w = this.window(from, to);
    if (w.length === 0) return null;
    if (to <= from) return mid(this.atOrBefore(from) ?? w[0]!);
    let weighted = 0;
    let time = 0;
    for (let i = 0; i < w.length; i++) {
      const s = w[i]!;
      const begin = Math.max(from, s.ts);
      const end = Math.min(to, w[i + 1]?.ts ?? to);
      if (end <= begin) continue;
      weighted += mid(s) * (end - begin);
      time += end - begin;
    }
    return time > 0 ? weighted / time : mid(w[w.length - 1]!);
  }
}

export function mid(s: Pick<MarketSample, 'bid' | 'ask' | 'last'>): number {
  return s.bid > 0 && s.ask > 0 ? (s.bid + s.ask) / 2 : s.last;
}
