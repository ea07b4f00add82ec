import type { Quote } from '../../../domain/instrument.js';
import type { BreakerTrip } from './breaker-trip.js';

/**
 * A leg's spread at or beyond `maxMultiple` times its normal spread (`null` = off). The normal
 * spread is the one the leg first saw, never less than a tick: a one-tick spread at arrival
 * would otherwise make any widening look enormous.
 */
export function spreadTrip(leg: { index: number; symbol: string }, quote: Pick<Quote, 'bid' | 'ask'>, normalSpread: number, tickSize: number, maxMultiple: number | null): BreakerTrip | undefined {
  if (maxMultiple === null || quote.bid <= 0 || quote.ask <= 0) return undefined;
  const multiple = (quote.ask - quote.bid) / Math.max(normalSpread, tickSize);
  if (multiple < maxMultiple) return undefined;
  return { breaker: 'spread', leg: leg.index, value: multiple, limit: maxMultiple, unit: 'x', message: `${leg.symbol} spread is ${multiple.toFixed(1)}x its normal spread, at or beyond ${maxMultiple}x (risk.breakers.spread.max_multiple); leg ${leg.index} paused, \`ptexec resume --leg ${leg.index}\` continues it` };
}
