import type { Exchange } from '../../domain/instrument.js';
import { sessionWindow } from '../../market/calendar/index.js';
import { type CumulativeProfile, defaultVolumeProfile, sliceVolumeWeights } from '../../market/volume-profile.js';
import { almgrenChriss, almgrenChrissSchedule, type AlmgrenChrissInput, type AlmgrenChrissResult } from './almgren-chriss.js';
import { assertLots, cumulativeSums } from './cumulative-rounding.js';
import { icebergShownQuantity } from './iceberg-sizing.js';
import { povChildQuantity } from './pov-sizing.js';
import { evenTimeline } from './timeline.js';
import { twapSchedule } from './twap-schedule.js';
import { vwapSchedule } from './vwap-schedule.js';

/**
 * What an algorithm would send if every child filled in full: the schedules behind
 * `ptexec algo preview`, from the same functions the algorithms use.
 */
export interface PreviewRow {
  period: number;
  /** When the period's child is sent: epoch ms, or model time units for an IS horizon given as a number; null for an iceberg. */
  time: number | null;
  quantity: number;
  cumulative: number;
  remaining: number;
  /** VWAP: share of the horizon's expected volume in the bin. */
  volumeShare?: number;
  /** POV: expected volume of others in the interval before the tick. */
  marketVolume?: number;
}

function rows(trades: readonly number[], total: number, time: (j: number) => number | null): PreviewRow[] {
  const cumulative = cumulativeSums(trades);
  return trades.map((quantity, j) => ({ period: j + 1, time: time(j), quantity, cumulative: cumulative[j]!, remaining: total - cumulative[j]! }));
}

export function previewTwap(o: { quantity: number; slices: number; durationMs: number; start: number; lot: number }): PreviewRow[] {
  const timeline = evenTimeline(o.start, o.durationMs, o.slices);
  return rows(twapSchedule(o.quantity, o.slices, o.lot), o.quantity, (j) => timeline.tickAt(j));
}

export function previewVwap(o: { quantity: number; slices: number; durationMs: number; start: number; lot: number; exchange: Exchange; profile?: CumulativeProfile }): {
  rows: PreviewRow[];
  /** True when the horizon lies outside the session, so equal slices were used. */
  outsideSession: boolean;
} {
  const timeline = evenTimeline(o.start, o.durationMs, o.slices);
  const volumes = sliceVolumeWeights(o.profile ?? defaultVolumeProfile, o.exchange, o.start, o.durationMs, o.slices);
  const total = volumes.reduce((a, b) => a + b, 0);
  const out = rows(vwapSchedule(o.quantity, volumes, o.lot), o.quantity, (j) => timeline.tickAt(j));
  out.forEach((row, j) => (row.volumeShare = total > 0 ? volumes[j]! / total : 1 / o.slices));
  return { rows: out, outsideSession: total <= 0 };
}

export function previewIs(o: { model: AlmgrenChrissInput; lot: number; time: (j: number) => number }): { rows: PreviewRow[]; result: AlmgrenChrissResult } {
  const result = almgrenChriss(o.model);
  return { rows: rows(almgrenChrissSchedule(o.model, o.lot), o.model.X, o.time), result };
}

/**
 * The expected POV schedule when others trade `adv` shares a day along the volume profile:
 * at each tick the child is sized from the volume others traded in the interval before it. The
 * rows stop once the quantity is done, or at the horizon with what is left unfilled.
 */
export function previewPov(o: {
  quantity: number;
  rate: number;
  adv: number;
  intervalMs: number;
  durationMs: number;
  start: number;
  lot: number;
  exchange: Exchange;
  minChild?: number;
  maxChild?: number;
  profile?: CumulativeProfile;
}): PreviewRow[] {
  assertLots(o.quantity, o.lot);
  const profile = o.profile ?? defaultVolumeProfile;
  const { open, close } = sessionWindow(o.exchange, o.start);
  const volumeUpTo = (t: number) => o.adv * profile(Math.min(1, Math.max(0, (t - open) / (close - open))));
  const ticks = Math.ceil(o.durationMs / o.intervalMs);
  const out: PreviewRow[] = [];
  let others = 0;
  let filled = 0;
  for (let j = 0; j < ticks; j++) {
    const t = o.start + j * o.intervalMs;
    const marketVolume = j === 0 ? 0 : volumeUpTo(t) - volumeUpTo(t - o.intervalMs);
    others += marketVolume;
    const quantity = povChildQuantity({ rate: o.rate, marketVolumeSinceStart: others + filled, filled, remaining: o.quantity - filled, minChild: o.minChild ?? o.lot, maxChild: o.maxChild, lot: o.lot });
    filled += quantity;
    out.push({ period: j + 1, time: t, quantity, cumulative: filled, remaining: o.quantity - filled, marketVolume: Math.round(marketVolume) });
    if (filled >= o.quantity) break;
  }
  return out;
}

/** The sizes an iceberg shows, one refill after another, until the quantity is done. */
export function previewIceberg(o: { quantity: number; display: number; randomizePct: number; seed: number; lot: number }): PreviewRow[] {
  assertLots(o.quantity, o.lot);
  const trades: number[] = [];
  for (let filled = 0; filled < o.quantity; ) {
    const shown = icebergShownQuantity({ display: o.display, randomizePct: o.randomizePct, seed: o.seed, filled, remaining: o.quantity - filled, lot: o.lot });
    trades.push(shown);
    filled += shown;
  }
  return rows(trades, o.quantity, () => null);
}
