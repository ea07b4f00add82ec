import type Database from 'better-sqlite3';
import type { Funds, Holding, Position } from '../domain/account.js';
import type { RecordedFill } from '../domain/fill.js';
import type { Exchange } from '../domain/instrument.js';
import type { Side } from '../domain/side.js';
import { connectionOf, settled } from './connection.js';
import type { Store } from './store.js';

/** Read side of post-trade (TCA, charges, settlement, P&L, reconciliation). Rows in camelCase. */
export type FillRow = RecordedFill;

/** The order rows TCA reads: what it needs of each, no more (a run of 50,000 legs has 100,000 orders). */
export interface OrderRow {
  clientOrderId: string;
  runId: string | null;
  parentId: string | null;
  leg: number;
  broker: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  quantity: number;
  algo: string | null;
  status: string;
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

/** One instrument's market samples from `fromTs` to `toTs` (both included). */
export interface SampleWindow {
  exchange: string;
  symbol: string;
  fromTs: number;
  toTs: number;
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

const ORDER_COLUMNS = `client_order_id, run_id, parent_id, leg, broker, symbol, exchange, side, quantity, algo, status, arrival_price, decision_price,
  coalesce(market_created_at, created_at), coalesce(market_updated_at, updated_at)`;
type OrderTuple = [string, string | null, string | null, number, string, string, Exchange, Side, number, string | null, string, number | null, number | null, number, number];

function orderFromTuple(r: OrderTuple): OrderRow {
  return {
    clientOrderId: r[0],
    runId: r[1],
    parentId: r[2],
    leg: r[3],
    broker: r[4],
    symbol: r[5],
    exchange: r[6],
    side: r[7],
    quantity: r[8],
    algo: r[9],
    status: r[10],
    arrivalPrice: r[11],
    decisionPrice: r[12],
    marketCreatedAt: r[13],
    marketUpdatedAt: r[14],
  };
}

/**
 * A statement's rows as arrays, each made into an object as it is read: each array is dropped
 * young, rather than all of them (100,000 orders of a 50,000-leg run) kept until the last is read.
 */
function mapRows<T, R>(statement: Database.Statement, args: unknown[], map: (row: T) => R): R[] {
  const out: R[] = [];
  for (const row of statement.raw(true).iterate(...args) as Iterable<T>) out.push(map(row));
  return out;
}

type SampleTuple = [number, number, number, number, number, number];

function sampleFromTuple(r: SampleTuple): SampleRow {
  return { ts: r[1], bid: r[2], ask: r[3], last: r[4], volume: r[5] };
}

/** Above this many instruments, the fills around them are read in one statement rather than one per instrument. */
const BULK_INSTRUMENTS = 16;

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
    return mapRows(this.statement(sql), args, fillFromTuple);
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
    const around = byKey.size > BULK_INSTRUMENTS ? this.fillsOfInstruments([...byKey.values()], margin, [...skip]) : [...byKey.values()].flatMap((e) => this.fills({ broker: e.broker, account: e.account, exchange: e.exchange, symbol: e.symbol, fromTs: e.from - margin, toTs: e.to + margin, exceptRuns: [...skip] }));
    for (const f of around) {
      const k = `${f.broker}\u0000${f.tradeId}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(f);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** The fills of many instruments of broker accounts, each within its time range widened by `margin`, but those of `exceptRuns`: one statement. */
  private fillsOfInstruments(ranges: readonly { broker: string; account: string; exchange: string; symbol: string; from: number; to: number }[], margin: number, exceptRuns: readonly string[]): FillRow[] {
    const list = JSON.stringify(ranges.map((r) => [r.broker, r.account, r.exchange, r.symbol, r.from - margin, r.to + margin]));
    const sql = `SELECT ${FILL_COLUMNS.split(', ').map((c) => `f.${c}`).join(', ')} FROM json_each(?) j
      JOIN fills f ON f.broker = j.value ->> 0 AND f.account = j.value ->> 1 AND f.exchange = j.value ->> 2 AND f.symbol = j.value ->> 3 AND f.ts >= j.value ->> 4 AND f.ts <= j.value ->> 5
      WHERE f.run_id IS NULL OR f.run_id NOT IN (SELECT value FROM json_each(?))`;
    return mapRows(this.statement(sql), [list, JSON.stringify(exceptRuns)], fillFromTuple);
  }

  orders(filter: { runId?: string; runIds?: string[] } = {}): OrderRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.runId !== undefined) (where.push('run_id = ?'), args.push(filter.runId));
    if (filter.runIds) {
      if (filter.runIds.length === 0) return [];
      where.push('run_id IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify(filter.runIds));
    }
    return mapRows(this.statement(`SELECT ${ORDER_COLUMNS} FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, client_order_id`), args, orderFromTuple);
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

  /**
   * Each leg's estimated cost and its standard deviation (bps), as recorded with the run's plan
   * (legs planned without an estimate are absent), read without the plan itself.
   */
  plannedCosts(runId: string): Map<number, { costBps: number; stdBps: number }> {
    const text = this.statement('SELECT estimates FROM run_plans WHERE run_id = ?').pluck(true).get(runId) as string | undefined;
    const costs = new Map<number, { costBps: number; stdBps: number }>();
    if (text !== undefined) for (const [leg, costBps, stdBps] of JSON.parse(text) as [number, number, number][]) costs.set(leg, { costBps, stdBps });
    return costs;
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

  /**
   * Each window's samples (by ts, then seq) and the latest sample of its instrument (the close),
   * in two statements however many windows there are: a report over 50,000 legs reads the
   * samples once, not 100,000 times.
   */
  sampleWindows(windows: readonly SampleWindow[]): { samples: SampleRow[]; last: SampleRow | undefined }[] {
    const out = windows.map(() => ({ samples: [] as SampleRow[], last: undefined as SampleRow | undefined }));
    if (windows.length === 0) return out;
    const list = JSON.stringify(windows.map((w) => [w.exchange, w.symbol, w.fromTs, w.toTs]));
    const inWindows = this.statement(
      `SELECT j.key, m.ts, m.bid, m.ask, m.last, m.volume FROM json_each(?) j
        JOIN market_samples m ON m.exchange = j.value ->> 0 AND m.symbol = j.value ->> 1 AND m.ts >= j.value ->> 2 AND m.ts <= j.value ->> 3
        ORDER BY j.key, m.ts, m.seq`,
    );
    for (const r of inWindows.raw(true).iterate(list) as Iterable<SampleTuple>) out[r[0]]!.samples.push(sampleFromTuple(r));
    const instruments = new Map<string, number[]>();
    windows.forEach((w, i) => {
      const key = `${w.exchange}\u0000${w.symbol}`;
      const at = instruments.get(key);
      if (at) at.push(i);
      else instruments.set(key, [i]);
    });
    const firsts = [...instruments.values()];
    const latest = this.statement(
      `SELECT j.key, m.ts, m.bid, m.ask, m.last, m.volume FROM json_each(?) j
        JOIN market_samples m ON m.seq = (SELECT s.seq FROM market_samples s WHERE s.exchange = j.value ->> 0 AND s.symbol = j.value ->> 1 ORDER BY s.ts DESC, s.seq DESC LIMIT 1)`,
    );
    const keys = JSON.stringify(firsts.map((at) => [windows[at[0]!]!.exchange, windows[at[0]!]!.symbol]));
    for (const r of latest.raw(true).iterate(keys) as Iterable<SampleTuple>) {
      const sample = sampleFromTuple(r);
      for (const i of firsts[r[0]]!) out[i]!.last = sample;
    }
    return out;
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
