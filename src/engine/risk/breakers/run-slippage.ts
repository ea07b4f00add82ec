import { sideSign } from '../../../domain/side.js';
import type { BreakerTrip, LegFills } from './breaker-trip.js';

/**
 * What the run's fills cost against the legs' arrival prices, in minor units (positive = worse
 * than arrival), and the value they were measured against (the same shares at arrival prices).
 */
export function costAgainstArrival(legs: readonly LegFills[]): { cost: number; atArrival: number } {
  let cost = 0;
  let atArrival = 0;
  for (const leg of legs) {
    if (leg.filled <= 0) continue;
    const arrival = leg.filled * leg.arrivalPrice;
    cost += sideSign(leg.side) * (leg.filledValue - arrival);
    atArrival += arrival;
  }
  return { cost, atArrival };
}

/** The run's slippage against arrival, in basis points, at or beyond `maxBps` (`null` = off). */
export function runSlippageTrip(legs: readonly LegFills[], maxBps: number | null): BreakerTrip | undefined {
  if (maxBps === null) return undefined;
  const { cost, atArrival } = costAgainstArrival(legs);
  if (atArrival <= 0) return undefined;
  const bps = (cost / atArrival) * 10_000;
  if (bps < maxBps) return undefined;
  return { breaker: 'run_slippage', value: bps, limit: maxBps, unit: 'bps', message: `run slippage ${bps.toFixed(1)} bps against arrival reached the limit of ${maxBps} bps (risk.breakers.run_slippage.max_bps); run paused, \`ptexec resume\` continues it` };
}
