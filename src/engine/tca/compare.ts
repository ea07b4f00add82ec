import type { LegTca } from './types.js';
import { groupBy } from '../../domain/group-by.js';

export type TcaGroupBy = 'algo' | 'broker';

/** One algorithm's (or broker's) record over many runs, in one currency. */
export interface TcaGroup {
  key: string;
  /** The legs' currency: legs in different currencies are never weighted against each other. */
  currency: string | null;
  legs: number;
  runs: number;
  ordered: number;
  filled: number;
  fillRate: number;
  /** Paper value (S·P_d) summed in the group's currency: a weight, not an amount. */
  paperWeight: number;
  /** Paper-value-weighted implementation shortfall, bps, total and by term. */
  shortfallBps: { delay: number; trading: number; opportunity: number; charges: number; total: number };
  /** Filled-value-weighted slippage vs arrival and vs interval VWAP, bps. */
  arrivalSlippageBps: number | null;
  vwapSlippageBps: number | null;
  /** Mean participation over legs that have it. */
  participation: number | null;
  meanDurationMs: number | null;
}

/**
 * Compares algorithms or brokers over many runs, one group per currency: averages are in bps
 * weighted by value, and a rupee and a dollar of value weigh differently, so legs in different
 * currencies are never averaged together (that would need an exchange rate).
 */
export function compareLegs(legs: readonly LegTca[], by: TcaGroupBy): TcaGroup[] {
  const groups = groupBy(legs, (l) => `${(by === 'algo' ? l.algo : l.broker) ?? '(none)'}\u0000${l.currency ?? ''}`);
  return [...groups.entries()]
    .map(([key, list]) => summarise(key.slice(0, key.indexOf('\u0000')), list))
    .sort((a, b) => a.key.localeCompare(b.key) || (a.currency ?? '').localeCompare(b.currency ?? ''));
}

function weighted(list: readonly LegTca[], value: (l: LegTca) => number | null, weight: (l: LegTca) => number): number | null {
  let num = 0;
  let den = 0;
  for (const l of list) {
    const v = value(l);
    const w = weight(l);
    if (v === null || !(w > 0)) continue;
    num += v * w;
    den += w;
  }
  return den > 0 ? num / den : null;
}

function summarise(key: string, list: readonly LegTca[]): TcaGroup {
  const ordered = list.reduce((a, l) => a + l.ordered, 0);
  const filled = list.reduce((a, l) => a + l.filled, 0);
  const paper = (l: LegTca) => l.paperValue;
  const term = (k: 'delay' | 'trading' | 'opportunity' | 'charges' | 'total') => weighted(list, (l) => l.shortfallBps[k], paper) ?? 0;
  const durations = list.map((l) => l.durationMs).filter((d): d is number => d !== null);
  const participations = list.map((l) => l.participation).filter((p): p is number => p !== null);
  return {
    key,
    currency: list[0]!.currency ?? null,
    legs: list.length,
    runs: new Set(list.map((l) => l.runId ?? l.id)).size,
    ordered,
    filled,
    fillRate: ordered > 0 ? filled / ordered : 0,
    paperWeight: list.reduce((a, l) => a + l.paperValue, 0),
    shortfallBps: { delay: term('delay'), trading: term('trading'), opportunity: term('opportunity'), charges: term('charges'), total: term('total') },
    arrivalSlippageBps: weighted(list, (l) => l.slippageBps.arrival, (l) => l.filledValue),
    vwapSlippageBps: weighted(list, (l) => l.slippageBps.vwap, (l) => l.filledValue),
    participation: participations.length ? participations.reduce((a, b) => a + b, 0) / participations.length : null,
    meanDurationMs: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : null,
  };
}
