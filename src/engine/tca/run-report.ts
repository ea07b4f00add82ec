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
 * latest sample of the instrument for the close benchmark, read for every leg at once.
 */
function marketOfLegs(reader: PostTradeReader, orders: readonly TcaOrder[]): Map<string, MarketSeries> {
  const priced = orders.filter((o) => o.exchange && o.startTs !== undefined && o.endTs !== undefined);
  const read = reader.sampleWindows(priced.map((o) => ({ exchange: o.exchange!, symbol: o.symbol, fromTs: o.startTs! - BEFORE_START_MS, toTs: o.endTs! + AFTER_END_MS })));
  const series = new Map<string, MarketSeries>();
  priced.forEach((o, i) => {
    const { samples, last } = read[i]!;
    if (last && (samples.length === 0 || last.ts > samples[samples.length - 1]!.ts)) samples.push(last);
    series.set(o.id, new MarketSeries(samples));
  });
  return series;
}

function tcaOrdersFor(reader: PostTradeReader, schedules: ChargeSchedules, runIds: string[]): { orders: TcaOrder[]; unpriced: string[] } {
  const orders = reader.orders({ runIds });
  const runs = new Set(runIds);
  const fills = runIds.length === 1 ? reader.fills({ runId: runIds[0] }) : reader.fills().filter((f) => f.runId !== null && runs.has(f.runId));
  const { charges, unpriced } = chargesForFills(reader, schedules, fills, runIds);
  return { orders: legsOfRun(orders, fills, charges), unpriced };
}

/** One run's TCA, with each leg's market series and fills (by leg id) for whoever draws them. */
export interface RunTca extends TcaReport {
  unpriced: string[];
  market: ReadonlyMap<string, MarketSeries>;
  fills: ReadonlyMap<string, TcaOrder['fills']>;
}

/** TCA of one run from the store: per leg and totals. */
export function runTca(reader: PostTradeReader, schedules: ChargeSchedules, runId: string): RunTca {
  const { orders, unpriced } = tcaOrdersFor(reader, schedules, [runId]);
  const market = marketOfLegs(reader, orders);
  return { ...analyseOrders(runId, orders, (o) => market.get(o.id)), unpriced, market, fills: new Map(orders.map((o) => [o.id, o.fills])) };
}

/** Algorithms or brokers compared over many runs. */
export function compareRuns(reader: PostTradeReader, schedules: ChargeSchedules, runIds: string[], by: TcaGroupBy): { groups: TcaGroup[]; legs: number; unpriced: string[] } {
  const { orders, unpriced } = tcaOrdersFor(reader, schedules, runIds);
  const market = marketOfLegs(reader, orders);
  const report = analyseOrders(null, orders, (o) => market.get(o.id));
  return { groups: compareLegs(report.legs, by), legs: report.legs.length, unpriced };
}
