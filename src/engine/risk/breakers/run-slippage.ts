import { sideSign, type Side } from '../../../domain/side.js';
import type { BreakerTrip, LegFills } from './breaker-trip.js';

/**
 * What the run's fills cost against the legs' arrival prices, in minor units (positive = worse
 * than arrival), and the value they were measured against (the same shares at arrival prices).
 */
export interface ArrivalCost {
  cost: number;
  atArrival: number;
}

/** The run's cost against arrival: summed over the legs' fills, or as a runtime kept it. */
export function costAgainstArrival(legs: readonly LegFills[] | ArrivalCost): ArrivalCost {
  if (!Array.isArray(legs)) return legs as ArrivalCost;
  const total = { cost: 0, atArrival: 0 };
  for (const leg of legs as readonly LegFills[]) if (leg.filled > 0) addToArrivalCost(total, leg.side, leg.filled, leg.filledValue, leg.arrivalPrice);
  return total;
}

/**
 * Adds fills of `quantity` shares worth `value` to the run's cost against arrival: the total is a
 * sum over fills, so a runtime keeps it as fills are recorded instead of summing every leg again.
 */
export function addToArrivalCost(total: ArrivalCost, side: Side, quantity: number, value: number, arrivalPrice: number): void {
  const arrival = quantity * arrivalPrice;
  total.cost += sideSign(side) * (value - arrival);
  total.atArrival += arrival;
}

/** The run's slippage against arrival, in basis points, at or beyond `maxBps` (`null` = off). */
export function runSlippageTrip(legs: readonly LegFills[] | ArrivalCost, maxBps: number | null): BreakerTrip | undefined {
  if (maxBps === null) return undefined;
  const { cost, atArrival } = costAgainstArrival(legs);
  if (atArrival <= 0) return undefined;
  const bps = (cost / atArrival) * 10_000;
  if (bps < maxBps) return undefined;
  return { breaker: 'run_slippage', value: bps, limit: maxBps, unit: 'bps', message: `run slippage ${bps.toFixed(1)} bps against arrival reached the limit of ${maxBps} bps (risk.breakers.run_slippage.max_bps); run paused, \`ptexec resume\` continues it` };
}
