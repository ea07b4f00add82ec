import type { RunBreakerTripped } from '../../../domain/events/index.js';
import type { RiskConfigSection } from '../config.js';

/** The `risk.breakers` section: each limit, or `null` when that breaker is off. */
export type BreakerLimits = RiskConfigSection['breakers'];

/** What a breaker found: recorded as `run.breaker_tripped` (`leg` absent = the whole run). */
export type BreakerTrip = RunBreakerTripped['payload'];

/** A leg's fills as the run-wide breakers see them: prices and values in minor units. */
export interface LegFills {
  side: 'buy' | 'sell';
  filled: number;
  filledValue: number;
  arrivalPrice: number;
}
