import type { Exchange } from '../../domain/instrument.js';
import type { Side } from '../../domain/side.js';
import { basisOf, exactOfSum, roundClamped } from '../charges/contract-note.js';
import type { ChargeSchedules } from '../charges/schedule.js';
import type { RoutableAccount } from './types.js';

/**
 * `RoutableAccount.charges` from a broker's charge schedule: the charges of one trade alone on
 * its contract note, the same figure as `chargesForTrade(…).total`, computed without building a
 * note (allocations, per-trade shares), which costs more than the routing itself when a plan asks
 * for thousands. Each component is rounded and clamped as the schedule says; taxes (GST) apply to
 * the rounded components they name. A market the schedule does not cover charges nothing, as the
 * planner's estimate does.
 */
export function scheduleCharges(schedules: ChargeSchedules, scheduleId: string, tradingDate?: string): RoutableAccount['charges'] {
  const markets = new Map<Exchange, ReturnType<ChargeSchedules['forMarket']>>();
  return (trade: { symbol: string; exchange: Exchange; side: Side; quantity: number; price: number }) => {
    if (!markets.has(trade.exchange)) markets.set(trade.exchange, schedules.forMarket(scheduleId, trade.exchange, tradingDate));
    const market = markets.get(trade.exchange);
    if (!market) return 0;
    const amounts = new Map<string, number>();
    let total = 0;
    for (const c of market.components) {
      if (c.basis === 'tax') continue;
      const amount = c.sides.has(trade.side) ? roundClamped(exactOfSum(c, 1, c.basis === 'flat' ? 0 : basisOf(c, trade)), c) : 0;
      amounts.set(c.id, amount);
      total += amount;
    }
    for (const c of market.components) {
      if (c.basis !== 'tax' || !c.sides.has(trade.side)) continue;
      const base = c.on.reduce((s, id) => s + (amounts.get(id) ?? 0), 0);
      const amount = roundClamped(BigInt(base) * c.rate, c);
      amounts.set(c.id, amount);
      total += amount;
    }
    return total;
  };
}
