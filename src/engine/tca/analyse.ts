import { sideSign } from '../../domain/side.js';
import { mid, type MarketSeries } from './market-series.js';
import { BENCHMARKS, type BenchmarkName, type LegTca, type Shortfall, type TcaOrder, type TcaReport, type TcaTotals } from './types.js';
import { groupBy } from '../../domain/group-by.js';

const MINUTE = 60_000;

/**
 * TCA of one parent order (EXECUTION.md "TCA"), s = +1 buy / −1 sell, positive = cost:
 *   slippage vs B (bps) = s·(P̄ − P_B)/P_B·10⁴
 *   delay       = s·S·(P_0 − P_d)
 *   trading     = s·(Σq·p − f·P_0)        (= s·f·(P̄ − P_0), exact in minor units)
 *   opportunity = s·(S − f)·(P_n − P_0)
 *   total       = delay + trading + opportunity + charges; bps = money / (S·P_d)·10⁴
 * Market samples, when given, supply the interval VWAP, TWAP, close, P_n, participation and
 * markouts; figures given on the order take precedence.
 */
export function analyseOrder(order: TcaOrder, market?: MarketSeries): LegTca {
  const s = sideSign(order.side);
  const notes: string[] = [];
  const { filled, filledValue, charges, firstFill, lastFill } = sumFills(order);
  const averagePrice = filled > 0 ? filledValue / filled : null;
  const startTs = order.startTs ?? firstFill;
  const endTs = order.endTs ?? lastFill ?? startTs;
  const { decisionPrice, arrivalPrice } = decisionAndArrival(order, market, startTs, averagePrice, notes);
  const { bench, marketVolume } = benchmarksOf(order, market, startTs, endTs, decisionPrice, arrivalPrice);
  const endPrice = endPriceOf(order, market, endTs, bench.close ?? arrivalPrice, filled, notes, bench.close !== null);

  const slippageBps = {} as Record<BenchmarkName, number | null>;
  for (const b of BENCHMARKS) {
    const p = bench[b];
    slippageBps[b] = averagePrice !== null && p !== null && p > 0 ? (s * (averagePrice - p) * 10_000) / p : null;
  }

  const shortfall = decompose(s, order.quantity, filled, filledValue, decisionPrice, arrivalPrice, endPrice, charges);
  const paperValue = order.quantity * decisionPrice;

  return {
    id: order.id,
    runId: order.runId ?? null,
    leg: order.leg ?? null,
    symbol: order.symbol,
    exchange: order.exchange ?? null,
    side: order.side,
    algo: order.algo ?? null,
    broker: order.broker ?? null,
    currency: order.currency ?? null,
    ordered: order.quantity,
    filled,
    fillCount: order.fills.length,
    fillRate: order.quantity > 0 ? filled / order.quantity : 0,
    filledValue,
    averagePrice,
    decisionPrice,
    arrivalPrice,
    endPrice,
    paperValue,
    benchmarks: bench,
    slippageBps,
    shortfall,
    shortfallBps: toBps(shortfall, paperValue),
    participation: marketVolume !== null && marketVolume > 0 ? filled / marketVolume : null,
    marketVolume,
    startTs,
    endTs,
    durationMs: startTs !== null && endTs !== null ? endTs - startTs : null,
    markoutBps: { m1: markoutBps(order, market, s, MINUTE), m5: markoutBps(order, market, s, 5 * MINUTE) },
    notes,
  };
}

/** The order's fills summed, and the times of its first and last timed fill (null when none is timed). */
function sumFills(order: TcaOrder): { filled: number; filledValue: number; charges: number; firstFill: number | null; lastFill: number | null } {
  let filled = 0;
  let filledValue = 0;
  let charges = 0;
  let firstFill = Infinity;
  let lastFill = -Infinity;
  for (const f of order.fills) {
    filled += f.quantity;
    filledValue += f.quantity * f.price;
    charges += f.charges;
    if (f.ts !== undefined) {
      if (f.ts < firstFill) firstFill = f.ts;
      if (f.ts > lastFill) lastFill = f.ts;
    }
  }
  return { filled, filledValue, charges, firstFill: Number.isFinite(firstFill) ? firstFill : null, lastFill: Number.isFinite(lastFill) ? lastFill : null };
}

/**
 * The arrival price (given, else the mid of the market sample nearest the start, else the
 * decision price) and the decision price (given, else the arrival price); each stand-in is noted,
 * because it sets a cost term to zero.
 */
function decisionAndArrival(order: TcaOrder, market: MarketSeries | undefined, startTs: number | null, averagePrice: number | null, notes: string[]): { decisionPrice: number; arrivalPrice: number } {
  let arrivalPrice = order.arrivalPrice;
  if (arrivalPrice === undefined && market && startTs !== null) {
    const sample = market.atOrBefore(startTs) ?? market.atOrAfter(startTs);
    if (sample) {
      arrivalPrice = mid(sample);
      notes.push('arrival price taken from the market sample nearest the start');
    }
  }
  if (arrivalPrice === undefined) {
    arrivalPrice = order.decisionPrice ?? averagePrice ?? 0;
    notes.push('no arrival price: decision price used (delay cost is zero)');
  }
  let decisionPrice = order.decisionPrice;
  if (decisionPrice === undefined) {
    decisionPrice = arrivalPrice;
    notes.push('no decision price: arrival price used (delay cost is zero)');
  }
  return { decisionPrice, arrivalPrice };
}

/** The benchmark prices over the order's life, from the market samples, overridden by the order's own. */
function benchmarksOf(
  order: TcaOrder,
  market: MarketSeries | undefined,
  startTs: number | null,
  endTs: number | null,
  decisionPrice: number,
  arrivalPrice: number,
): { bench: Record<BenchmarkName, number | null>; marketVolume: number | null } {
  const bench: Record<BenchmarkName, number | null> = { decision: decisionPrice, arrival: arrivalPrice, vwap: null, twap: null, close: null };
  let marketVolume: number | null = order.marketVolume ?? null;
  if (market && market.length > 0 && startTs !== null && endTs !== null) {
    const v = market.intervalVwap(startTs, endTs);
    bench.vwap = v.vwap;
    if (marketVolume === null && v.volume > 0) marketVolume = v.volume;
    bench.twap = market.twap(startTs, endTs);
    // The close: the last sample at/after the end; when sampling stopped with the order, the
    // last sample of its life is the best price there is.
    const close = market.lastFrom(endTs) ?? market.lastFrom(startTs);
    bench.close = close ? close.last : null;
  }
  if (order.benchmarks?.vwap !== undefined) bench.vwap = order.benchmarks.vwap;
  if (order.benchmarks?.twap !== undefined) bench.twap = order.benchmarks.twap;
  if (order.benchmarks?.close !== undefined) bench.close = order.benchmarks.close;
  return { bench, marketVolume };
}

/** The price the unfilled part is marked at: given, else the mid at the end, else `fallback` (the close or the arrival). */
function endPriceOf(order: TcaOrder, market: MarketSeries | undefined, endTs: number | null, fallback: number, filled: number, notes: string[], haveClose: boolean): number {
  let endPrice = order.endPrice;
  if (endPrice === undefined && market && endTs !== null) {
    const sample = market.atOrAfter(endTs) ?? market.atOrBefore(endTs);
    if (sample) endPrice = mid(sample);
  }
  if (endPrice === undefined) {
    endPrice = fallback;
    if (filled < order.quantity) notes.push(haveClose ? 'no end price: close used for the unfilled part' : 'no end price: opportunity cost taken as zero');
  }
  return endPrice;
}

/** Quantity-weighted markout of the fills: the mid `h` ms after each fill against its price, signed by side, in bps. */
function markoutBps(order: TcaOrder, market: MarketSeries | undefined, s: 1 | -1, h: number): number | null {
  if (!market || market.length === 0) return null;
  let weighted = 0;
  let qty = 0;
  for (const f of order.fills) {
    if (f.ts === undefined || f.price <= 0) continue;
    const later = market.atOrAfter(f.ts + h);
    if (!later) continue;
    weighted += f.quantity * ((s * (mid(later) - f.price) * 10_000) / f.price);
    qty += f.quantity;
  }
  return qty > 0 ? weighted / qty : null;
}

/** The Perold/Wagner decomposition; the total is the sum of its terms by construction. */
export function decompose(s: 1 | -1, ordered: number, filled: number, filledValue: number, decision: number, arrival: number, end: number, charges: number): Shortfall {
  // `+ 0` turns a −0 (a sell with nothing to charge) into 0 for clean output.
  const delay = s * ordered * (arrival - decision) + 0;
  const trading = s * (filledValue - filled * arrival) + 0;
  const opportunity = s * (ordered - filled) * (end - arrival) + 0;
  return { delay, trading, opportunity, charges, total: delay + trading + opportunity + charges };
}

function toBps(m: Shortfall, paperValue: number): Shortfall {
  const f = (x: number) => (paperValue > 0 ? (x / paperValue) * 10_000 : 0);
  return { delay: f(m.delay), trading: f(m.trading), opportunity: f(m.opportunity), charges: f(m.charges), total: f(m.total) };
}

/** Totals over legs, one block per currency (money of different currencies is never added). */
export function totalsOf(legs: readonly LegTca[]): TcaTotals[] {
  const byCurrency = groupBy(legs, (l) => l.currency);
  return [...byCurrency.entries()].map(([currency, list]) => aggregate(currency, list));
}

function aggregate(currency: string | null, legs: readonly LegTca[]): TcaTotals {
  const shortfall: Shortfall = { delay: 0, trading: 0, opportunity: 0, charges: 0, total: 0 };
  let ordered = 0;
  let filled = 0;
  let paperValue = 0;
  let filledValue = 0;
  let start: number | null = null;
  let end: number | null = null;
  const slip = {} as Record<BenchmarkName, number | null>;
  for (const b of BENCHMARKS) {
    // Value-weighted: Σ s·f·(P̄ − P_B) / Σ f·P_B over legs that have the benchmark.
    let num = 0;
    let den = 0;
    for (const l of legs) {
      const p = l.benchmarks[b];
      if (p === null || l.averagePrice === null || l.filled === 0) continue;
      num += sideSign(l.side) * l.filled * (l.averagePrice - p);
      den += l.filled * p;
    }
    slip[b] = den > 0 ? (num / den) * 10_000 : null;
  }
  const mark = { m1: [0, 0], m5: [0, 0] };
  for (const l of legs) {
    ordered += l.ordered;
    filled += l.filled;
    paperValue += l.paperValue;
    filledValue += l.filledValue;
    for (const k of ['delay', 'trading', 'opportunity', 'charges', 'total'] as const) shortfall[k] += l.shortfall[k];
    if (l.startTs !== null) start = start === null ? l.startTs : Math.min(start, l.startTs);
    if (l.endTs !== null) end = end === null ? l.endTs : Math.max(end, l.endTs);
    for (const k of ['m1', 'm5'] as const) {
      const v = l.markoutBps[k];
      if (v === null) continue;
      mark[k][0]! += v * l.filled;
      mark[k][1]! += l.filled;
    }
  }
  return {
    currency,
    legs: legs.length,
    ordered,
    filled,
    fillRate: ordered > 0 ? filled / ordered : 0,
    paperValue,
    filledValue,
    shortfall,
    shortfallBps: toBps(shortfall, paperValue),
    slippageBps: slip,
    markoutBps: { m1: mark.m1[1]! > 0 ? mark.m1[0]! / mark.m1[1]! : null, m5: mark.m5[1]! > 0 ? mark.m5[0]! / mark.m5[1]! : null },
    startTs: start,
    endTs: end,
    durationMs: start !== null && end !== null ? end - start : null,
  };
}

/** The report of a set of orders (one run, or a file), with market series by instrument key. */
export function analyseOrders(runId: string | null, orders: readonly TcaOrder[], marketFor?: (order: TcaOrder) => MarketSeries | undefined): TcaReport {
  const legs = orders.map((o) => analyseOrder(o, marketFor?.(o)));
  return { runId, legs, totals: totalsOf(legs) };
}
