import { groupBy } from '../../domain/group-by.js';
import type { Currency } from '../../domain/money.js';
import { sideSign } from '../../domain/side.js';
import { currencyOf } from '../ledger/records.js';
import { nearestRank } from './percentile.js';
import type { CurrencyFigures, LatencyFigures, Scorecard, ScorecardChild, ScorecardFill, ScorecardLeg, ScorecardRows } from './types.js';

/** The scorecards of every broker account in `rows`, and each broker's total over its accounts, ordered by broker then account. */
export function scorecards(rows: ScorecardRows): { accounts: Scorecard[]; brokers: Scorecard[] } {
  const accountKey = (r: { broker: string; account: string }) => `${r.broker}\u0000${r.account}`;
  const accounts = groupedScorecards(rows, accountKey, (r) => r.account);
  const brokers = groupedScorecards(rows, (r) => r.broker, () => null);
  return { accounts, brokers };
}

type Keyed = { broker: string; account: string };

function groupedScorecards(rows: ScorecardRows, keyOf: (r: Keyed) => string, accountOf: (r: Keyed) => string | null): Scorecard[] {
  const legs = groupBy(rows.legs, keyOf);
  const children = groupBy(rows.children, keyOf);
  const fills = groupBy(rows.fills, keyOf);
  const firsts = new Map<string, Keyed>();
  for (const r of [...rows.legs, ...rows.children, ...rows.fills]) if (!firsts.has(keyOf(r))) firsts.set(keyOf(r), r);
  const cards = [...firsts].map(([key, first]) => scorecard(first.broker, accountOf(first), legs.get(key) ?? [], children.get(key) ?? [], fills.get(key) ?? []));
  return cards.sort((a, b) => a.broker.localeCompare(b.broker) || (a.account ?? '').localeCompare(b.account ?? ''));
}

/**
 * One scorecard (EXECUTION.md signs: positive = cost):
 *   fill rate   = Σ filled ÷ Σ ordered shares over the legs
 *   reject rate = rejected child orders ÷ child orders sent; cancel rate likewise
 *   slippage    = Σ s·(Σq·p − f·P_0) ÷ Σ f·P_0 · 10⁴ per currency, over the legs that filled with
 *                 an arrival price: each leg's s·(P̄ − P_0)/P_0 weighted by the arrival value of what filled
 *   charges     = booked charges ÷ the traded value they were booked on · 10⁴
 *   latency     = acknowledged − sent, nearest-rank p50 and p95
 */
export function scorecard(broker: string, account: string | null, legs: readonly ScorecardLeg[], children: readonly ScorecardChild[], fills: readonly ScorecardFill[]): Scorecard {
  let ordered = 0;
  let filled = 0;
  for (const l of legs) {
    ordered += l.ordered;
    filled += l.filled;
  }
  const rejected = children.filter((c) => c.status === 'rejected').length;
  const cancelled = children.filter((c) => c.status === 'cancelled').length;
  const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
  return {
    broker,
    account,
    runs: new Set(legs.map((l) => l.runId)).size,
    legs: legs.length,
    ordered,
    filled,
    fillRate: ratio(filled, ordered),
    childOrders: children.length,
    rejected,
    cancelled,
    rejectRate: ratio(rejected, children.length),
    cancelRate: ratio(cancelled, children.length),
    unknownOutcomes: children.filter((c) => c.unknownOutcome).length,
    unresolved: children.filter((c) => c.status === 'unknown').length,
    latency: latency(children),
    currencies: currencyFigures(legs, fills),
  };
}

function latency(children: readonly ScorecardChild[]): LatencyFigures {
  const sample: number[] = [];
  for (const c of children) if (c.acknowledgedAt !== null) sample.push(Math.max(0, c.acknowledgedAt - c.sentAt));
  sample.sort((a, b) => a - b);
  return { measured: sample.length, p50Ms: nearestRank(sample, 50), p95Ms: nearestRank(sample, 95) };
}

interface CurrencySums {
  legs: number;
  slippageLegs: number;
  /** Σ s·(Σq·p − f·P_0): the trading cost against arrival, minor units (fractional: P_0 may be a mid). */
  slippageCost: number;
  /** Σ f·P_0. */
  arrivalValue: number;
  fills: number;
  tradedValue: number;
  charges: number;
  chargedValue: number;
}

function currencyFigures(legs: readonly ScorecardLeg[], fills: readonly ScorecardFill[]): CurrencyFigures[] {
  const sums = new Map<Currency, CurrencySums>();
  const of = (exchange: string) => {
    const currency = currencyOf(exchange);
    let s = sums.get(currency);
    if (!s) sums.set(currency, (s = { legs: 0, slippageLegs: 0, slippageCost: 0, arrivalValue: 0, fills: 0, tradedValue: 0, charges: 0, chargedValue: 0 }));
    return s;
  };
  for (const l of legs) {
    const s = of(l.exchange);
    s.legs += 1;
    if (l.filled > 0 && l.arrivalPrice !== null && l.arrivalPrice > 0) {
      s.slippageLegs += 1;
      s.slippageCost += sideSign(l.side) * (l.filledValue - l.filled * l.arrivalPrice);
      s.arrivalValue += l.filled * l.arrivalPrice;
    }
  }
  for (const f of fills) {
    const s = of(f.exchange);
    const value = f.quantity * f.price;
    s.fills += 1;
    s.tradedValue += value;
    if (f.charges !== null) {
      s.charges += f.charges;
      s.chargedValue += value;
    }
  }
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, s]) => ({
      currency,
      legs: s.legs,
      fills: s.fills,
      tradedValue: s.tradedValue,
      slippageBps: s.arrivalValue > 0 ? (s.slippageCost / s.arrivalValue) * 10_000 : null,
      slippageLegs: s.slippageLegs,
      charges: s.charges,
      chargedValue: s.chargedValue,
      chargesBps: s.chargedValue > 0 ? (s.charges / s.chargedValue) * 10_000 : null,
    }));
}
