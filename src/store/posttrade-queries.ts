import type Database from 'better-sqlite3';
import type { Funds, Holding, Position } from '../domain/account.js';
import type { RecordedFill } from '../domain/fill.js';
import type { Exchange } from '../domain/instrument.js';
import type { Side } from '../domain/side.js';
import { connectionOf, settled } from './connection.js';
import type { Store } from './store.js';

/** Read side of post-trade (TCA, charges, settlement, P&L, reconciliation). Rows in camelCase. */
export type FillRow = RecordedFill;

export interface OrderRow {
  clientOrderId: string;
  runId: string | null;
  parentId: string | null;
  leg: number;
  broker: string;
  account: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  type: string;
  quantity: number;
  algo: string | null;
  status: string;
  filledQuantity: number;
  filledValue: number;
  arrivalPrice: number | null;
  decisionPrice: number | null;
  /** Market times (the engine's clock) of the order's start and last change: TCA compares them with market samples. */
  marketCreatedAt: number;
  marketUpdatedAt: number;
}

export interface RunRow {
  runId: string;
  broker: string;
  account: string;
  tradingDate: string;
  status: string;
  createdAt: number;
}

export interface SampleRow {
  ts: number;
  bid: number;
  ask: number;
  last: number;
  volume: number;
}

export interface SnapshotRow {
  seq: number;
  broker: string;
  account: string;
  ts: number;
  reason: string;
  holdings: Holding[];
  positions: Position[];
  funds: Funds;
}

export interface FillFilter {
  runId?: string;
  broker?: string;
  account?: string;
  afterSeq?: number;
  exchange?: string;
  symbol?: string;
  /** Leave out the fills of these runs. */
  exceptRuns?: string[];
  fromTs?: number;
  toTs?: number;
}

const FILL_COLUMNS = 'broker, trade_id, client_order_id, broker_order_id, run_id, account, symbol, exchange, side, quantity, price, ts, seq';
type FillTuple = [string, string, string, string, string | null, string, string, Exchange, Side, number, number, number, number];

/*
 * Rows are read as arrays (better-sqlite3 raw mode) and turned into objects of one fixed shape
 * here: with thousands of fills per report, that is several times faster than letting the
 * driver build an object per row.
 */
function fillFromTuple(r: FillTuple): FillRow {
  return { broker: r[0], tradeId: r[1], clientOrderId: r[2], brokerOrderId: r[3], runId: r[4], account: r[5], symbol: r[6], exchange: r[7], side: r[8], quantity: r[9], price: r[10], ts: r[11], seq: r[12] };
}

export class PostTradeQueries {
  /** Statements by their SQL: a run reads fills on every engine step, a report samples per leg. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly store: Store) {}

  private get db() {
    return connectionOf(this.store);
  }

  private statement(sql: string): Database.Statement {
    settled(this.store);
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  fills(filter: FillFilter = {}): FillRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.runId !== undefined) (where.push('run_id = ?'), args.push(filter.runId));
    if (filter.broker !== undefined) (where.push('broker = ?'), args.push(filter.broker));
    if (filter.account !== undefined) (where.push('account = ?'), args.push(filter.account));
    if (filter.exchange !== undefined) (where.push('exchange = ?'), args.push(filter.exchange));
    if (filter.symbol !== undefined) (where.push('symbol = ?'), args.push(filter.symbol));
    if (filter.afterSeq !== undefined) (where.push('seq > ?'), args.push(filter.afterSeq));
    if (filter.exceptRuns?.length) {
      where.push(`(run_id IS NULL OR run_id NOT IN (${filter.exceptRuns.map(() => '?').join(',')}))`);
      args.push(...filter.exceptRuns);
    }
    if (filter.fromTs !== undefined) (where.push('ts >= ?'), args.push(filter.fromTs));
    if (filter.toTs !== undefined) (where.push('ts <= ?'), args.push(filter.toTs));
    const sql = `SELECT ${FILL_COLUMNS} FROM fills ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    const rows = this.statement(sql).raw(true).all(...args) as FillTuple[];
    return rows.map(fillFromTuple);
  }

  /**
   * Every fill of the contract notes that `fills` belong to: same broker, account and
   * instrument within a day and a half either side (the caller keeps the right trading date).
   * `exceptRuns`: runs whose fills are all in `fills` already, so they are not read again.
   */
  fillsAround(fills: readonly FillRow[], exceptRuns: readonly string[] = []): FillRow[] {
    if (fills.length === 0) return [];
    const skip = new Set(exceptRuns);
    const margin = 36 * 3_600_000;
    const byKey = new Map<string, { broker: string; account: string; exchange: string; symbol: string; from: number; to: number }>();
    for (const f of fills) {
      const k = `${f.broker}\u0000${f.account}\u0000${f.exchange}:${f.symbol}`;
      const e = byKey.get(k) ?? { broker: f.broker, account: f.account, exchange: f.exchange, symbol: f.symbol, from: f.ts, to: f.ts };
      e.from = Math.min(e.from, f.ts);
      e.to = Math.max(e.to, f.ts);
      byKey.set(k, e);
    }
    const seen = new Set<string>();
    const out: FillRow[] = [];
    // The caller's fills include every fill of `exceptRuns`: keep those, read only the others.
    for (const f of fills) {
      if (f.runId === null || !skip.has(f.runId)) continue;
      seen.add(`${f.broker}\u0000${f.tradeId}`);
      out.push(f);
    }
    for (const e of byKey.values()) {
      for (const f of this.fills({ broker: e.broker, account: e.account, exchange: e.exchange, symbol: e.symbol, fromTs: e.from - margin, toTs: e.to + margin, exceptRuns: [...skip] })) {
        const k = `${f.broker}\u0000${f.tradeId}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(f);
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  orders(filter: { runId?: string; runIds?: string[] } = {}): OrderRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.runId !== undefined) (where.push('run_id = ?'), args.push(filter.runId));
    if (filter.runIds) {
      if (filter.runIds.length === 0) return [];
      where.push(`run_id IN (${filter.runIds.map(() => '?').join(',')})`);
      args.push(...filter.runIds);
    }
    return this.db
      .prepare(
        `SELECT client_order_id AS clientOrderId, run_id AS runId, parent_id AS parentId, leg, broker, account, symbol, exchange, side, type, quantity, algo,
          status, filled_quantity AS filledQuantity, filled_value AS filledValue, arrival_price AS arrivalPrice, decision_price AS decisionPrice,
          coalesce(market_created_at, created_at) AS marketCreatedAt, coalesce(market_updated_at, updated_at) AS marketUpdatedAt
        FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, client_order_id`,
      )
      .all(...args) as OrderRow[];
  }

  runs(filter: { since?: number } = {}): RunRow[] {
    return this.db
      .prepare(
        `SELECT run_id AS runId, broker, account, trading_date AS tradingDate, status, created_at AS createdAt FROM runs
        ${filter.since !== undefined ? 'WHERE created_at >= ?' : ''} ORDER BY created_at, run_id`,
      )
      .all(...(filter.since !== undefined ? [filter.since] : [])) as RunRow[];
  }

  run(runId: string): RunRow | undefined {
    return this.runs().find((r) => r.runId === runId);
  }

  latestRun(): RunRow | undefined {
    return this.db
      .prepare('SELECT run_id AS runId, broker, account, trading_date AS tradingDate, status, created_at AS createdAt FROM runs ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .get() as RunRow | undefined;
  }

  samples(exchange: string, symbol: string, fromTs?: number, toTs?: number): SampleRow[] {
    const where = ['exchange = ?', 'symbol = ?'];
    const args: unknown[] = [exchange, symbol];
    if (fromTs !== undefined) (where.push('ts >= ?'), args.push(fromTs));
    if (toTs !== undefined) (where.push('ts <= ?'), args.push(toTs));
    // Index order (exchange, symbol, ts, rowid = seq) gives ts then seq without a sort.
    const rows = this.statement(`SELECT ts, bid, ask, last, volume FROM market_samples WHERE ${where.join(' AND ')} ORDER BY ts, seq`)
      .raw(true)
      .all(...args) as [number, number, number, number, number][];
    return rows.map((r) => ({ ts: r[0], bid: r[1], ask: r[2], last: r[3], volume: r[4] }));
  }

  /** The latest sample of an instrument (a mark for unrealised P&L). */
  lastSample(exchange: string, symbol: string): SampleRow | undefined {
    return this.statement('SELECT ts, bid, ask, last, volume FROM market_samples WHERE exchange = ? AND symbol = ? ORDER BY ts DESC, seq DESC LIMIT 1').raw(false).get(exchange, symbol) as
      | SampleRow
      | undefined;
  }

  /** Booked charges per trade, keyed broker + NUL + trade id. */
  bookedCharges(): Map<string, number> {
    const rows = this.db.prepare('SELECT broker, trade_id AS tradeId, amount FROM charge_allocations').all() as { broker: string; tradeId: string; amount: number }[];
    return new Map(rows.map((r) => [`${r.broker}\u0000${r.tradeId}`, r.amount]));
  }

  /** Settlement statuses confirmed or failed against the broker, keyed broker + NUL + trade id. */
  settlementResolutions(): Map<string, { status: 'pending' | 'settled' | 'failed'; difference: number | null; reason: string | null }> {
    const rows = this.db.prepare('SELECT broker, trade_id AS tradeId, status, difference, reason FROM settlements').all() as {
      broker: string;
      tradeId: string;
      status: 'pending' | 'settled' | 'failed';
      difference: number | null;
      reason: string | null;
    }[];
    return new Map(rows.map((r) => [`${r.broker}\u0000${r.tradeId}`, { status: r.status, difference: r.difference, reason: r.reason }]));
  }

  private snapshot(order: 'ASC' | 'DESC', broker: string, account?: string): SnapshotRow | undefined {
    const row = this.db
      .prepare(`SELECT seq, broker, account, ts, reason, holdings, positions, funds FROM account_snapshots WHERE broker = ? ${account ? 'AND account = ?' : ''} ORDER BY seq ${order} LIMIT 1`)
      .get(...(account ? [broker, account] : [broker])) as (Omit<SnapshotRow, 'holdings' | 'positions' | 'funds'> & { holdings: string; positions: string; funds: string }) | undefined;
    return row && { ...row, holdings: JSON.parse(row.holdings), positions: JSON.parse(row.positions), funds: JSON.parse(row.funds) };
  }

  latestSnapshot(broker: string, account?: string): SnapshotRow | undefined {
    return this.snapshot('DESC', broker, account);
  }

  firstSnapshot(broker: string, account?: string): SnapshotRow | undefined {
    return this.snapshot('ASC', broker, account);
  }
}
