import type { ExecutionSpec } from '../../domain/plan.js';
import { parseDuration } from '../algos/duration.js';
import { horizonVolumeShare, type MarketFacts } from './market-facts.js';

/** A market order takes what is at hand: its impact is measured against a minute's volume. */
export const MARKET_ORDER_HORIZON_MS = 60_000;
/** The algorithms' own default horizons (README "Execution algorithms"). */
const DEFAULT_DURATION_MS: Record<string, number> = { limit: 15 * 60_000, twap: 30 * 60_000, vwap: 30 * 60_000, is: 30 * 60_000, iceberg: 30 * 60_000 };

function durationParam(execution: ExecutionSpec): number | undefined {
  const raw = execution.params['duration'];
  if (typeof raw !== 'string') return undefined;
  try {
    return parseDuration(raw);
  } catch {
    return undefined;
  }
}

/**
 * How long a leg is expected to trade: a market order a minute; a participation order until the
 * market has traded Q/ρ (along the volume profile), within its duration if it has one; every
 * other algorithm its duration.
 */
export function expectedHorizonMs(execution: ExecutionSpec, quantity: number, facts: MarketFacts): number {
  if (execution.algo === 'market' || execution.orderType === 'market') return MARKET_ORDER_HORIZON_MS;
  const duration = durationParam(execution);
  if (execution.algo === 'pov') {
    const rate = Number(execution.params['rate']);
    const cap = duration ?? 24 * 3_600_000;
    if (!(rate > 0 && rate < 1) || facts.adv === undefined) return duration ?? DEFAULT_DURATION_MS['twap']!;
    return horizonForShare(facts, quantity / rate / facts.adv, cap);
  }
  return duration ?? DEFAULT_DURATION_MS[execution.algo] ?? DEFAULT_DURATION_MS['twap']!;
}

/** The time from the leg's start for `share` of a day's volume to trade (bisection on the profile), at most `cap`. */
export function horizonForShare(facts: MarketFacts, share: number, cap: number): number {
  if (horizonVolumeShare(facts, cap) <= share) return cap;
  let lo = 0;
  let hi = cap;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (horizonVolumeShare(facts, mid) < share) lo = mid;
    else hi = mid;
  }
  return Math.round(hi / 1000) * 1000;
}
