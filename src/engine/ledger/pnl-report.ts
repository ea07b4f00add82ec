import { tradingDate } from '../../market/exchange-time.js';
import type { ChargeSchedules } from '../charges/schedule.js';
import { mid } from '../tca/market-series.js';
import { FifoLedger, type LedgerPosition, unrealised } from './fifo-ledger.js';
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
  const opened = openBooks(reader, all, ledger);
  const inScope = (f: Pick<RecordedFill, 'runId'>, date: string) => (filter.runId === undefined || f.runId === filter.runId) && (filter.since === undefined || date >= filter.since);
  const scope: Scope = { charges: new Map(), touched: new Set(), realised: new Map() };
  for (const f of all) {
    if (f.seq <= (opened.get(bookOf(f.broker, f.account)) ?? 0)) continue;
    const date = tradingDate(f.exchange, f.ts);
    const c = charges.get(tradeKey(f.broker, f.tradeId)) ?? 0;
    const account = bookOf(f.broker, f.account);
    ledger.apply({ account, symbol: f.symbol, exchange: f.exchange, side: f.side, quantity: f.quantity, price: f.price, charges: c, ts: f.ts, tradeDate: date, runId: f.runId, tradeId: f.tradeId });
    if (inScope(f, date)) {
      const k = positionKey(account, f.symbol);
      scope.charges.set(k, (scope.charges.get(k) ?? 0) + c);
      scope.touched.add(k);
    }
  }
  for (const r of ledger.realisations) {
    if (!inScope(r, r.tradeDate)) continue;
    const k = positionKey(r.account, r.symbol);
    scope.realised.set(k, (scope.realised.get(k) ?? 0) + r.pnl);
  }
  const lastFill = new Map<string, number>();
  for (const f of all) lastFill.set(`${f.exchange}:${f.symbol}`, f.price);

  const scoped = filter.runId !== undefined || filter.since !== undefined;
  const positions: PnlPosition[] = [];
  for (const p of ledger.positions()) {
    const k = positionKey(p.account, p.symbol);
    if (scoped && !scope.touched.has(k)) continue;
    positions.push(positionRow(p, reader, lastFill, scoped ? { realised: scope.realised.get(k) ?? 0, charges: scope.charges.get(k) ?? 0 } : null));
  }
  if (positions.some((p) => p.quantity < 0)) notes.push('some sales exceed the shares ptexec knows of (negative quantity): record the broker\'s holdings as a baseline with `ptexec reconcile --accept`');
  if (positions.some((p) => p.markSource === 'last fill')) notes.push('some positions are marked at their last fill price (no market sample recorded)');
  return { positions, totals: totalsOf(positions), notes };
}

/** What `--run` and `--since` select, per book position: its charges, whether it traded, its realised P&L. */
interface Scope {
  charges: Map<string, number>;
  touched: Set<string>;
  realised: Map<string, number>;
}

/** A book per broker account. */
function bookOf(broker: string, account: string): string {
  return `${broker}/${account}`;
}

function positionKey(book: string, symbol: string): string {
  return `${book}\u0000${symbol}`;
}

/**
 * Opens each broker account's book from its first recorded snapshot (settled and T+1 holdings at
 * the broker's average price); returns, per book, the sequence number of that snapshot: the fills
 * up to it are already in the holdings.
 */
function openBooks(reader: PostTradeReader, fills: readonly RecordedFill[], ledger: FifoLedger): Map<string, number> {
  const opened = new Map<string, number>();
  for (const f of fills) {
    const k = bookOf(f.broker, f.account);
    if (opened.has(k)) continue;
    const snap = reader.firstSnapshot(f.broker, f.account);
    opened.set(k, snap?.seq ?? 0);
    for (const h of snap?.holdings ?? []) {
      const owned = h.quantity + h.t1Quantity;
      ledger.open({ account: k, symbol: h.symbol, exchange: h.exchange, quantity: owned, cost: Math.round(h.averagePrice * owned) });
    }
  }
  return opened;
}

/**
 * One position as reported, marked at the latest market sample's mid, else its last fill. A
 * narrowed report (`inScope`) shows only the realised P&L and charges of the selected trades.
 */
function positionRow(p: LedgerPosition, reader: PostTradeReader, lastFill: ReadonlyMap<string, number>, inScope: { realised: number; charges: number } | null): PnlPosition {
  const [broker, ...rest] = p.account.split('/');
  const sample = reader.lastSample(p.exchange, p.symbol);
  const mark = sample ? mid(sample) : (lastFill.get(`${p.exchange}:${p.symbol}`) ?? null);
  const markSource = sample ? 'market sample' : mark !== null ? 'last fill' : null;
  const u = p.quantity !== 0 && mark !== null ? unrealised(p, mark) : p.quantity === 0 ? 0 : null;
  return {
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
    realised: inScope ? inScope.realised : p.realised,
    charges: inScope ? inScope.charges : p.charges,
  };
}

/** Totals per currency, by currency. */
function totalsOf(positions: readonly PnlPosition[]): PnlTotals[] {
  const totals = new Map<string, PnlTotals>();
  for (const p of positions) {
    const t = totals.get(p.currency) ?? { currency: p.currency, realised: 0, unrealised: 0, charges: 0, total: 0 };
    t.realised += p.realised;
    t.unrealised += p.unrealised ?? 0;
    t.charges += p.charges;
    t.total = t.realised + t.unrealised;
    totals.set(p.currency, t);
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
