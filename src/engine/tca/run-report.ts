import type { ChargeSchedules } from '../charges/schedule.js';
import { chargesForFills, type PostTradeReader } from '../ledger/post-trade-reader.js';
import { analyseOrders } from './analyse.js';
import { compareLegs, type TcaGroup, type TcaGroupBy } from './compare.js';
import { MarketSeries } from './market-series.js';
import { legsOfRun } from './run-orders.js';
import type { TcaOrder, TcaReport } from './types.js';

/** Market series for each leg's instrument over its life (plus the markout horizon and the close). */
function marketLookup(reader: PostTradeReader, orders: readonly TcaOrder[]): (o: TcaOrder) => MarketSeries | undefined {
  const cache = new Map<string, MarketSeries>();
  return (o) => {
    if (!o.exchange) return undefined;
    const key = `${o.exchange}:${o.symbol}`;
    let series = cache.get(key);
    if (!series) {
      const starts = orders.filter((x) => x.exchange === o.exchange && x.symbol === o.symbol && x.startTs !== undefined).map((x) => x.startTs!);
      // Samples from a little before the first start (arrival, volume base) to the end of data.
      const from = starts.length ? Math.min(...starts) - 3_600_000 : undefined;
      series = new MarketSeries(reader.samples(o.exchange, o.symbol, from));
      cache.set(key, series);
    }
    return series;
  };
}

function tcaOrdersFor(reader: PostTradeReader, schedules: ChargeSchedules, runIds: string[]): { orders: TcaOrder[]; unpriced: string[] } {
  const orders = reader.orders({ runIds });
  const fills = runIds.length === 1 ? reader.fills({ runId: runIds[0] }) : reader.fills().filter((f) => f.runId !== null && runIds.includes(f.runId));
  const { charges, unpriced } = chargesForFills(reader, schedules, fills);
  return { orders: legsOfRun(orders, fills, charges), unpriced };
}

/** TCA of one run from the store: per leg and totals. */
export function runTca(reader: PostTradeReader, schedules: ChargeSchedules, runId: string): TcaReport & { unpriced: string[] } {
  const { orders, unpriced } = tcaOrdersFor(reader, schedules, [runId]);
  return { ...analyseOrders(runId, orders, marketLookup(reader, orders)), unpriced };
}

/** Algorithms or brokers compared over many runs. */
export function compareRuns(reader: PostTradeReader, schedules: ChargeSchedules, runIds: string[], by: TcaGroupBy): { groups: TcaGroup[]; legs: number; unpriced: string[] } {
  const { orders, unpriced } = tcaOrdersFor(reader, schedules, runIds);
  const report = analyseOrders(null, orders, marketLookup(reader, orders));
  return { groups: compareLegs(report.legs, by), legs: report.legs.length, unpriced };
}
