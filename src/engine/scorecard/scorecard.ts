import { groupBy } from '../../domain/group-by.js';
import type { Currency } from '../../domain/money.js';
import { sideSign } from '../../domain/side.js';
import { currencyOf } from '../ledger/records.js';
import { nearestRank } from './percentile.js';
import type { ChildTotals, CurrencyFigures, FillTotals, LatencyFigures, LegTotals, Scorecard, ScorecardRows } from './types.js';

type Keyed = { broker: string; account: string };

/** The scorecards of every broker account in `rows`, and each broker's total over its accounts, ordered by broker then account. */
export function scorecards(rows: ScorecardRows): { accounts: Scorecard[]; brokers: Scorecard[] } {
  return { accounts: groupedScorecards(rows, (r) => `${r.broker}\u0000${r.account}`, (r) => r.account), brokers: groupedScorecards(rows, (r) => r.broker, () => null) };
}

function groupedScorecards(rows: ScorecardRows, keyOf: (r: Keyed) => string, accountOf: (r: Keyed) => string | null): Scorecard[] {
  const legs = groupBy(rows.legs, keyOf);
  const children = groupBy(rows.children, keyOf);
  const fills = groupBy(rows.fills, keyOf);
  const firsts = new Map<string, Keyed>();
  for (const list of [rows.legs, rows.children, rows.fills]) for (const r of list) if (!firsts.has(keyOf(r))) firsts.set(keyOf(r), r);
  const cards = [...firsts].map(([key, first]) => scorecard(first.broker, accountOf(first), { legs: legs.get(key) ?? [], children: children.get(key) ?? [], fills: fills.get(key) ?? [] }));
  return cards.sort((a, b) => a.broker.localeCompare(b.broker) || (a.account ?? '').localeCompare(b.account ?? ''));
}

/**
 * One scorecard over its rows (EXECUTION.md signs: positive = cost):
 *   fill rate   = Σ filled ÷ Σ ordered shares over the legs
 *   reject rate = rejected child orders ÷ child orders sent; cancel rate likewise
 *   slippage    = Σ s·(Σq·p − f·P_0) ÷ Σ f·P_0 · 10⁴ per currency, over the legs that filled with
 *                 an arrival price: each leg's s·(P̄ − P_0)/P_0 weighted by the arrival value of what filled
 *   charges     = booked charges ÷ the traded value they were booked on · 10⁴
 *   latency     = acknowledgement recorded − send recorded, nearest-rank p50 and p95
 */
export function scorecard(broker: string, account: string | null, rows: ScorecardRows): Scorecard {
  const sum = <T>(list: readonly T[], of: (x: T) => number) => list.reduce((n, x) => n + of(x), 0);
  const ordered = sum(rows.legs, (l) => l.ordered);
  const filled = sum(rows.legs, (l) => l.filled);
  const sent = sum(rows.children, (c) => c.sent);
  const rejected = sum(rows.children, (c) => c.rejected);
  const cancelled = sum(rows.children, (c) => c.cancelled);
  const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
  return {
    broker,
    account,
    runs: new Set(rows.legs.map((l) => `${l.broker}\u0000${l.account}\u0000${l.runId}`)).size,
    legs: sum(rows.legs, (l) => l.legs),
    ordered,
    filled,
    fillRate: ratio(filled, ordered),
    childOrders: sent,
    rejected,
    cancelled,
    cancelledOnRequest: sum(rows.children, (c) => c.cancelledOnRequest),
    rejectRate: ratio(rejected, sent),
    cancelRate: ratio(cancelled, sent),
    unknownOutcomes: sum(rows.children, (c) => c.unknownOutcomes),
    unresolved: sum(rows.children, (c) => c.unresolved),
    latency: latency(rows.children),
    currencies: currencyFigures(rows.legs, rows.fills),
  };
}

function latency(children: readonly ChildTotals[]): LatencyFigures {
  const byValue = new Map<number, number>();
  for (const c of children) if (c.latencyMs !== null) byValue.set(c.latencyMs, (byValue.get(c.latencyMs) ?? 0) + c.sent);
  const ascending = [...byValue].map(([value, count]) => ({ value, count })).sort((a, b) => a.value - b.value);
  return { measured: ascending.reduce((n, v) => n + v.count, 0), p50Ms: nearestRank(ascending, 50), p95Ms: nearestRank(ascending, 95) };
}

type CurrencySums = Omit<CurrencyFigures, 'currency' | 'slippageBps' | 'chargesBps'> & { slippageCost: number; arrivalValue: number };

function currencyFigures(legs: readonly LegTotals[], fills: readonly FillTotals[]): CurrencyFigures[] {
  const sums = new Map<Currency, CurrencySums>();
  const of = (exchange: string) => {
    const currency = currencyOf(exchange);
    let s = sums.get(currency);
    if (!s) sums.set(currency, (s = { legs: 0, slippageLegs: 0, slippageCost: 0, arrivalValue: 0, fills: 0, tradedValue: 0, charges: 0, chargedValue: 0 }));
    return s;
  };
  for (const l of legs) {
    const s = of(l.exchange);
    s.legs += l.legs;
    s.slippageLegs += l.slippageLegs;
    s.slippageCost += sideSign(l.side) * l.paidOverArrival;
    s.arrivalValue += l.arrivalValue;
  }
  for (const f of fills) {
    const s = of(f.exchange);
    s.fills += f.fills;
    s.tradedValue += f.tradedValue;
    s.charges += f.charges;
    s.chargedValue += f.chargedValue;
  }
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, { slippageCost, arrivalValue, ...s }]) => ({
      currency,
      ...s,
      slippageBps: arrivalValue > 0 ? (slippageCost / arrivalValue) * 10_000 : null,
      chargesBps: s.chargedValue > 0 ? (s.charges / s.chargedValue) * 10_000 : null,
    }));
}
