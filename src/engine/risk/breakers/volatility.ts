import type { BreakerTrip } from './breaker-trip.js';

/** NSE's continuous session (09:15–15:30) over a year of trading days: how annual volatility scales down. */
const TRADING_SECONDS_PER_YEAR = 252 * 6.25 * 3600;

/** A leg's mid price now and a short while ago (seconds apart). */
export interface RecentMove {
  from: number;
  to: number;
  seconds: number;
}

/**
 * A leg's short-term volatility at or beyond `maxMultiple` times normal (`null` = off): the
 * mid's move over the window against the move the instrument's annual volatility makes normal
 * over the same time. An instrument without a known volatility is not checked.
 */
export function volatilityTrip(leg: { index: number; symbol: string }, move: RecentMove, annualVolatility: number | undefined, maxMultiple: number | null): BreakerTrip | undefined {
  if (maxMultiple === null || !annualVolatility || move.seconds <= 0 || move.from <= 0 || move.to <= 0) return undefined;
  const normal = annualVolatility * Math.sqrt(move.seconds / TRADING_SECONDS_PER_YEAR);
  const multiple = Math.abs(Math.log(move.to / move.from)) / normal;
  if (multiple < maxMultiple) return undefined;
  return {
    breaker: 'volatility',
    leg: leg.index,
    value: multiple,
    limit: maxMultiple,
    unit: 'x',
    message: `${leg.symbol} moved ${(((move.to - move.from) / move.from) * 100).toFixed(2)}% in ${Math.round(move.seconds)} s, ${multiple.toFixed(1)}x its normal volatility, at or beyond ${maxMultiple}x (risk.breakers.volatility.max_multiple); leg ${leg.index} paused, \`ptexec resume --leg ${leg.index}\` continues it`,
  };
}
