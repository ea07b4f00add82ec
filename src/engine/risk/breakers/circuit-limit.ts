import type { Quote } from '../../../domain/instrument.js';
import type { BreakerTrip } from './breaker-trip.js';

/**
 * The exchange's price band for the day. Quotes carry no circuit limits, so they are derived
 * from the previous close and the configured band (NSE sets 2, 5, 10 or 20% per stock).
 */
export function circuitLimits(close: number, bandPct: number): { lower: number; upper: number } {
  return { lower: close * (1 - bandPct / 100), upper: close * (1 + bandPct / 100) };
}

/**
 * A leg's last price within `withinPct` of either circuit limit (`null` = off; no previous
 * close, no check): near a limit the market can lock, and a leg trading into it may not get out.
 */
export function circuitTrip(leg: { index: number; symbol: string }, quote: Pick<Quote, 'last' | 'close'>, limits: { within_pct: number | null; band_pct: number }): BreakerTrip | undefined {
  if (limits.within_pct === null || !quote.close || quote.close <= 0 || quote.last <= 0) return undefined;
  const { lower, upper } = circuitLimits(quote.close, limits.band_pct);
  const toUpper = ((upper - quote.last) / upper) * 100;
  const toLower = ((quote.last - lower) / lower) * 100;
  const distance = Math.min(toUpper, toLower);
  if (distance > limits.within_pct) return undefined;
  const side = toUpper <= toLower ? 'upper' : 'lower';
  const value = Math.max(0, distance);
  return { breaker: 'circuit', leg: leg.index, value, limit: limits.within_pct, unit: '%', message: `${leg.symbol} last price is ${value.toFixed(2)}% from its ${side} circuit limit (previous close ±${limits.band_pct}%), within ${limits.within_pct}% (risk.breakers.circuit.within_pct); leg ${leg.index} paused, \`ptexec resume --leg ${leg.index}\` continues it` };
}
