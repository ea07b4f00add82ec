import { formatMoney, toMinor, type Currency } from '../../../domain/money.js';
import type { BreakerTrip, LegFills } from './breaker-trip.js';
import { costAgainstArrival, type ArrivalCost } from './run-slippage.js';

/**
 * The run's loss since it started: what its fills cost against the legs' arrival prices, at or
 * beyond `maxValue` (major units; `null` = off). The trip's value and limit are in minor units.
 */
export function runLossTrip(legs: readonly LegFills[] | ArrivalCost, maxValue: number | null, currency: Currency): BreakerTrip | undefined {
  if (maxValue === null) return undefined;
  const limit = toMinor(maxValue);
  const { cost } = costAgainstArrival(legs);
  if (cost <= 0 || cost < limit) return undefined;
  return { breaker: 'run_loss', value: cost, limit, unit: currency, message: `run loss ${formatMoney(cost, currency)} against arrival reached the limit of ${formatMoney(limit, currency)} (risk.breakers.run_loss.max_value); run paused, \`ptexec resume\` continues it` };
}
