import type { ChargeSchedules } from '../charges/schedule.js';
import { chargesForFills, type PostTradeReader } from '../ledger/post-trade-reader.js';
import { analyseOrders } from './analyse.js';
import { compareLegs, type TcaGroup, type TcaGroupBy } from './compare.js';
import { MarketSeries } from './market-series.js';
import { legsOfRun } from './run-orders.js';
import type { TcaOrder, TcaReport } from './types.js';

/** Markouts look 5 minutes past a fill; the end price wants the first sample after the end. */
const AFTER_END_MS = 6 * 60_000;
/** Arrival and the volume base want the sample just before the start. */
const BEFORE_START_MS = 15 * 60_000;

/**
 * Market samples of each leg's instrument over its life (a little before and after), plus the
 * latest sample of the instrument for the close benchmark.
 */
function marketLookup(reader: PostTradeReader): (o: TcaOrder) => MarketSeries | undefined {
  return (o) => {
    if (!o.exchange || o.startTs === undefined || o.endTs === undefined) return undefined;
    const samples = reader.samples(o.exchange, o.symbol, o.startTs - BEFORE_START_MS, o.endTs + AFTER_END_MS);
    const last = reader.lastSample(o.exchange, o.symbol);
    if (last && (samples.length === 0 || last.ts > samples[samples.length - 1]!.ts)) samples.push(last);
    return new MarketSeries(samples);
  };
}

function tcaOrdersFor(reader: PostTradeReader, schedules: ChargeSchedules, runIds: string[]): { orders: TcaOrder[]; unpriced: string[] } {
  const orders = reader.orders({ runIds });
  const runs = new Set(runIds);
  const fills = runIds.length === 1 ? reader.fills({ runId: runIds[0] }) : reader.fills().filter((f) => f.runId !== null && runs.has(f.runId));
  const { charges, unpriced } = chargesForFills(reader, schedules, fills, runIds);
  return { orders: legsOfRun(orders, fills, charges), unpriced };
}

/** TCA of one run from the store: per leg and totals. */
export function runTca(reader: PostTradeReader, schedules: ChargeSchedules, runId: string): TcaReport & { unpriced: string[] } {
  const { orders, unpriced } = tcaOrdersFor(reader, schedules, [runId]);
  return { ...analyseOrders(runId, orders, marketLookup(reader)), unpriced };
}

/** Algorithms or brokers compared over many runs. */
export function compareRuns(reader: PostTradeReader, schedules: ChargeSchedules, runIds: string[], by: TcaGroupBy): { groups: TcaGroup[]; legs: number; unpriced: string[] } {
  const { orders, unpriced } = tcaOrdersFor(reader, schedules, runIds);
  const report = analyseOrders(null, orders, marketLookup(reader));
  return { groups: compareLegs(report.legs, by), legs: report.legs.length, unpriced };
}
