import { TRADING_DAYS_PER_YEAR } from '../estimate/leg-estimate.js';
import { DEFAULT_ROUTING_POLICY } from './default-policy.js';
import type { RoutableLeg, RoutingPolicy } from './types.js';
import type { VenueFigures } from './venue-figures.js';

/** The impact law's scale for one leg: coefficient · σ_daily. */
export function impactScale(leg: RoutableLeg, policy: RoutingPolicy): number {
  const impact = policy.impact ?? DEFAULT_ROUTING_POLICY.impact!;
  const volatility = leg.volatility !== undefined && leg.volatility > 0 ? leg.volatility : impact.volatility;
  return impact.coefficient * (volatility / Math.sqrt(TRADING_DAYS_PER_YEAR));
}

/**
 * The impact, in minor units, of `quantity` shares taken on one venue: the square-root law of
 * the cost estimate (src/engine/estimate/leg-estimate.ts), scale · √(Q / V) of the value, V the
 * venue's share of the day's volume. Without a volume, the displayed depth is the measure: what
 * fits in it costs the half spread only, and the excess E beyond it pays scale · √(E / depth) of
 * its value. Impact is the venue's, not the account's: two accounts sending to the same venue
 * move the same book, so it is summed per venue and shared by the venue's parts in proportion.
 * No liquidity figure: no impact estimate (as the cost estimate does without an ADV).
 */
export function venueImpact(quantity: number, price: number, liquidity: VenueFigures['liquidity'], scale: number): number {
  if (quantity <= 0 || liquidity === undefined) return 0;
  const measured = liquidity.kind === 'volume' ? quantity : Math.max(0, quantity - liquidity.shares);
  return measured * price * scale * Math.sqrt(measured / Math.max(liquidity.shares, 1));
}
