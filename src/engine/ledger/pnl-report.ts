import { tradingDate } from '../../market/exchange-time.js';
import type { ChargeSchedules } from '../charges/schedule.js';
import { mid } from '../tca/market-series.js';
import { FifoLedger, unrealised } from './fifo-ledger.js';
import { chargesForFills, type PostTradeReader } from './post-trade-reader.js';
import type { RecordedFill } from '../../domain/fill.js';
import { currencyOf, tradeKey } from './records.js';

export interface PnlFilter {
  runId?: string;
  /** Trading date (YYYY-MM-DD): realised P&L and charges of trades on or after it. */
  since?: string;
  broker?: string;
  account?: string;
}

export interface PnlPosition {
  broker: string;
  account: string;
  symbol: string;
  exchange: string;
  currency: 'INR' | 'USD';
  quantity: number;
  averageCost: number | null;
  cost: number;
  mark: number | null;
  markSource: 'market sample' | 'last fill' | null;
  marketValue: number | null;
  unrealised: number | null;
  realised: number;
  charges: number;
}

export interface PnlTotals {
  currency: string;
  realised: number;
  unrealised: number;
  charges: number;
  total: number;
}

export interface PnlReport {
  positions: PnlPosition[];
  totals: PnlTotals[];
  notes: string[];
}

/**
 * P&L from a FIFO book of lots per account and symbol, charges included (buy charges are part of
 * a lot's cost, sell charges come off the proceeds). The book opens from the first account
 * snapshot ptexec recorded for each broker account, at the broker's average price, and applies
 * every ptexec fill after it. `--run` and `--since` narrow what is reported, never the book: a
 * sale is always matched against the lots bought before it, whichever run bought them.
 */
export function pnlReport(reader: PostTradeReader, schedules: ChargeSchedules, filter: PnlFilter = {}): PnlReport {
  const notes: string[] = [];
  const all = reader.fills({ broker: filter.broker, account: filter.account });
  const { charges, unpriced } = chargesForFills(reader, schedules, all, 'all');
  if (unpriced.length) notes.push(`no charge schedule for ${unpriced.join(', ')}: charged as zero`);
  const ledger = new FifoLedger();
  const bookOf = (broker: string, account: string) => `${broker}/${account}`;
  const opened = new Map<string, number>();
  for (const f of all) {
    const k = bookOf(f.broker, f.account);
    if (opened.has(k)) continue;
    const snap = reader.firstSnapshot(f.broker, f.account);
    opened.set(k, snap?.seq ?? 0);
    for (const h of snap?.holdings ?? []) {
      const owned = h.quantity + h.t1Quantity;
      ledger.open({ account: k, symbol: h.symbol, exchange: h.exchange, quantity: owned, cost: Math.round(h.averagePrice * owned) });
    }
  }
  const inScope = (f: RecordedFill, date: string) => (filter.runId === undefined || f.runId === filter.runId) && (filter.since === undefined || date >= filter.since);
  const scopeCharges = new Map<string, number>();
  const touched = new Set<string>();
  for (const f of all) {
    if (f.seq <= (opened.get(bookOf(f.broker, f.account)) ?? 0)) continue;
    const date = tradingDate(f.exchange, f.ts);
    const c = charges.get(tradeKey(f.broker, f.tradeId)) ?? 0;
    const account = bookOf(f.broker, f.account);
    ledger.apply({ account, symbol: f.symbol, exchange: f.exchange, side: f.side, quantity: f.quantity, price: f.price, charges: c, ts: f.ts, tradeDate: date, runId: f.runId, tradeId: f.tradeId });
    if (inScope(f, date)) {
      const k = `${account}\u0000${f.symbol}`;
      scopeCharges.set(k, (scopeCharges.get(k) ?? 0) + c);
      touched.add(k);
    }
  }
  const realisedInScope = new Map<string, number>();
  for (const r of ledger.realisations) {
    const f = { runId: r.runId } as RecordedFill;
    if (!inScope(f, r.tradeDate)) continue;
    const k = `${r.account}\u0000${r.symbol}`;
    realisedInScope.set(k, (realisedInScope.get(k) ?? 0) + r.pnl);
  }
  const lastFill = new Map<string, number>();
  for (const f of all) lastFill.set(`${f.exchange}:${f.symbol}`, f.price);

  const positions: PnlPosition[] = [];
  for (const p of ledger.positions()) {
    const k = `${p.account}\u0000${p.symbol}`;
    const scoped = filter.runId !== undefined || filter.since !== undefined;
    if (scoped && !touched.has(k)) continue;
    const [broker, ...rest] = p.account.split('/');
    const sample = reader.lastSample(p.exchange, p.symbol);
    const mark = sample ? mid(sample) : (lastFill.get(`${p.exchange}:${p.symbol}`) ?? null);
    const markSource = sample ? 'market sample' : mark !== null ? 'last fill' : null;
    const u = p.quantity !== 0 && mark !== null ? unrealised(p, mark) : p.quantity === 0 ? 0 : null;
    positions.push({
      broker: broker!,
      account: rest.join('/'),
      symbol: p.symbol,
      exchange: p.exchange,
      currency: currencyOf(p.exchange),
      quantity: p.quantity,
      averageCost: p.averageCost,
      cost: p.cost,
      mark,
      markSource,
      marketValue: mark !== null ? Math.round(p.quantity * mark) : null,
      unrealised: u,
      realised: scoped ? (realisedInScope.get(k) ?? 0) : p.realised,
      charges: scoped ? (scopeCharges.get(k) ?? 0) : p.charges,
    });
  }
  const totals = new Map<string, PnlTotals>();
  for (const p of positions) {
    const t = totals.get(p.currency) ?? { currency: p.currency, realised: 0, unrealised: 0, charges: 0, total: 0 };
    t.realised += p.realised;
    t.unrealised += p.unrealised ?? 0;
    t.charges += p.charges;
    t.total = t.realised + t.unrealised;
    totals.set(p.currency, t);
  }
  if (positions.some((p) => p.quantity < 0)) notes.push('some sales exceed the shares ptexec knows of (negative quantity): record the broker\'s holdings as a baseline with `ptexec reconcile --accept`');
  if (positions.some((p) => p.markSource === 'last fill')) notes.push('some positions are marked at their last fill price (no market sample recorded)');
  return { positions, totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)), notes };
}
