import { ofTypes, type EventType, type StoredEventOf } from '../domain/events/index.js';
import { connectionOf } from './connection.js';
import { decodeRow, type EventRow, type Store } from './store.js';

/** Read models for the CLI: runs, orders, fills and positions from the projections. */
/** A run's row: its plan is kept apart, in `run_plans` (see {@link runProgress}). */
export interface RunRow {
  run_id: string;
  broker: string;
  account: string;
  trading_date: string;
  target_hash: string;
  source: string;
  dry_run: number;
  status: string;
  reason: string | null;
  options: string;
  summary: string | null;
  created_at: number;
  updated_at: number;
}

export interface OrderRow {
  client_order_id: string;
  run_id: string | null;
  parent_id: string | null;
  leg: number;
  broker: string;
  account: string;
  symbol: string;
  exchange: string;
  side: string;
  type: string;
  quantity: number;
  limit_price: number | null;
  trigger_price: number | null;
  time_in_force: string;
  product: string;
  algo: string | null;
  status: string;
  broker_order_id: string | null;
  broker_status: string | null;
  reason: string | null;
  filled_quantity: number;
  filled_value: number;
  arrival_price: number | null;
  decision_price: number | null;
  /** Wall-clock times of recording. */
  created_at: number;
  updated_at: number;
  /** Market times (the engine's clock; simulated on the paper broker at --speed); null for orders recorded before they were kept. */
  market_created_at: number | null;
  market_updated_at: number | null;
  /** The bracket or OCO group (the client order id that carried it), for linked orders. */
  link_group: string | null;
}

export interface FillRow {
  broker: string;
  trade_id: string;
  client_order_id: string;
  broker_order_id: string;
  run_id: string | null;
  account: string;
  symbol: string;
  exchange: string;
  side: string;
  quantity: number;
  price: number;
  /** The trade's time in the market (simulated on the paper broker at --speed). */
  ts: number;
  seq: number;
  /** Wall-clock time the fill was recorded. */
  recorded_at: number;
}

/**
 * The columns of a {@link RunRow}, named: a run's row is read without anything a later migration
 * adds to the table (its plan, 34 MB of JSON for 50,000 legs, once sat in it before `created_at`).
 */
export const RUN_COLUMNS = 'run_id, broker, account, trading_date, target_hash, source, dry_run, status, reason, options, summary, created_at, updated_at';

export function getRun(store: Store, runId: string): RunRow | undefined {
  return connectionOf(store).prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`).get(runId) as RunRow | undefined;
}

/** Runs, newest first. A run id prefix of at least 4 characters finds a run too. */
export function findRun(store: Store, idOrPrefix: string): RunRow | undefined {
  const exact = getRun(store, idOrPrefix);
  if (exact || idOrPrefix.length < 4) return exact;
  const rows = connectionOf(store).prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id LIKE ? || '%' ORDER BY created_at DESC LIMIT 2`).all(idOrPrefix) as RunRow[];
  return rows.length === 1 ? rows[0] : undefined;
}

export function latestRun(store: Store): RunRow | undefined {
  return connectionOf(store).prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at DESC, rowid DESC LIMIT 1`).get() as RunRow | undefined;
}

/** A run's id, status and dry-run flag: what watching a run reads of its row, again and again. */
export type RunState = Pick<RunRow, 'run_id' | 'status' | 'dry_run'>;

/** `findRun`, or `latestRun` when `idOrPrefix` is absent, as the id, status and dry-run flag watching polls. */
export function findRunState(store: Store, idOrPrefix?: string): RunState | undefined {
  const row = idOrPrefix === undefined ? latestRun(store) : findRun(store, idOrPrefix);
  return row && { run_id: row.run_id, status: row.status, dry_run: row.dry_run };
}

/** Every run's id, oldest first: in the order the runs were recorded (rowid). */
export function runIdsOldestFirst(store: Store): string[] {
  return connectionOf(store).prepare('SELECT run_id FROM runs ORDER BY rowid').pluck().all() as string[];
}

export function listRuns(store: Store, filter: { status?: string; broker?: string; limit?: number } = {}): RunRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    args.push(filter.status);
  }
  if (filter.broker) {
    where.push('broker = ?');
    args.push(filter.broker);
  }
  const sql = `SELECT ${RUN_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
  return connectionOf(store).prepare(sql).all(...args, filter.limit ?? 50) as RunRow[];
}

export function listOrders(
  store: Store,
  filter: { runId?: string; status?: string; symbol?: string; parentsOnly?: boolean; childrenOnly?: boolean; linked?: boolean; limit?: number | null } = {},
): OrderRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.runId) {
    where.push('run_id = ?');
    args.push(filter.runId);
  }
  if (filter.status) {
    where.push('status = ?');
    args.push(filter.status);
  }
  if (filter.symbol) {
    where.push('symbol = ?');
    args.push(filter.symbol.toUpperCase());
  }
  if (filter.parentsOnly) where.push('parent_id IS NULL');
  if (filter.childrenOnly) where.push('parent_id IS NOT NULL');
  if (filter.linked) where.push('link_group IS NOT NULL');
  const sql = `SELECT * FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, rowid LIMIT ?`;
  // `limit: null`: every matching order (SQLite reads a negative LIMIT as none).
  return connectionOf(store).prepare(sql).all(...args, filter.limit === null ? -1 : (filter.limit ?? 1000)) as OrderRow[];
}

/** Per parent order of a run: how many orders it sent and how many of them the broker or the gate rejected. */
export function childOutcomes(store: Store, runId: string): Map<string, { sent: number; rejected: number }> {
  const rows = connectionOf(store)
    .prepare(`SELECT parent_id AS parentId, count(*) AS sent, sum(status = 'rejected') AS rejected FROM orders WHERE run_id = ? AND parent_id IS NOT NULL GROUP BY parent_id`)
    .all(runId) as { parentId: string; sent: number; rejected: number }[];
  return new Map(rows.map((r) => [r.parentId, { sent: r.sent, rejected: r.rejected }]));
}

export function getOrder(store: Store, id: string): OrderRow | undefined {
  return connectionOf(store).prepare('SELECT * FROM orders WHERE client_order_id = ? OR broker_order_id = ? LIMIT 1').get(id, id) as OrderRow | undefined;
}

export function listFills(store: Store, filter: { runId?: string; symbol?: string; clientOrderId?: string; limit?: number } = {}): FillRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.runId) {
    where.push('run_id = ?');
    args.push(filter.runId);
  }
  if (filter.symbol) {
    where.push('symbol = ?');
    args.push(filter.symbol.toUpperCase());
  }
  if (filter.clientOrderId) {
    where.push('(client_order_id = ? OR client_order_id IN (SELECT client_order_id FROM orders WHERE parent_id = ?))');
    args.push(filter.clientOrderId, filter.clientOrderId);
  }
  // The fill's event (same seq) says when it was recorded.
  const sql = `SELECT f.*, (SELECT e.ts FROM events e WHERE e.seq = f.seq) AS recorded_at FROM fills f ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.seq LIMIT ?`;
  return connectionOf(store).prepare(sql).all(...args, filter.limit ?? 10_000) as FillRow[];
}

/** Whether run `runId` has a leg `leg` (a parent order with that index). */
export function hasLeg(store: Store, runId: string, leg: number): boolean {
  return connectionOf(store).prepare('SELECT 1 FROM orders WHERE run_id = ? AND leg = ? AND parent_id IS NULL').get(runId, leg) !== undefined;
}

/** An order's status, by client order id. */
export function orderStatus(store: Store, clientOrderId: string): string | undefined {
  return connectionOf(store).prepare('SELECT status FROM orders WHERE client_order_id = ?').pluck().get(clientOrderId) as string | undefined;
}

/** The events of one order's history. */
const ORDER_HISTORY = ['order.created', 'order.status', 'fill.recorded'] as const satisfies readonly EventType[];

/** An order's events, in order: `ts` is when each was recorded (wall clock), `marketTs` the engine's market time. */
export function orderHistory(store: Store, clientOrderId: string, runId: string | null): StoredEventOf<(typeof ORDER_HISTORY)[number]>[] {
  // Within the order's run (the events_by_run index): across the whole log this was a scan of every order event.
  const rows = connectionOf(store)
    .prepare(
      `SELECT seq, run_id, ts, market_ts, type, payload FROM events
       WHERE run_id IS ? AND type IN (${ORDER_HISTORY.map(() => '?').join(', ')}) AND json_extract(payload, '$.clientOrderId') = ?
       ORDER BY seq`,
    )
    .all(runId, ...ORDER_HISTORY, clientOrderId) as EventRow[];
  return rows.map(decodeRow).filter(ofTypes(ORDER_HISTORY));
}

/**
 * How far a run got: its legs (planned, blocked by `--allow-partial`, or dropped for lack of
 * cash) and which are done (filled in full). `left` names the others as EXCHANGE:SYMBOL.
 */
export function runProgress(store: Store, run: RunRow): { total: number; done: number; left: string[] } {
  type Line = { index: number; symbol: string; exchange: string; unmet?: boolean };
  const recorded = connectionOf(store).prepare('SELECT plan FROM run_plans WHERE run_id = ?').pluck().get(run.run_id) as string | undefined;
  const plan = (recorded ? JSON.parse(recorded) : {}) as { legs?: Line[]; blocked?: Line[]; skipped?: Line[] };
  const filled = new Set(connectionOf(store).prepare('SELECT leg FROM orders WHERE run_id = ? AND parent_id IS NULL AND filled_quantity >= quantity').pluck().all(run.run_id) as number[]);
  const legs = plan.legs ?? [];
  const open = legs.filter((l) => !filled.has(l.index));
  const leftOut = [...(plan.blocked ?? []), ...(plan.skipped ?? []).filter((s) => s.unmet)];
  return { total: legs.length + leftOut.length, done: legs.length - open.length, left: [...open, ...leftOut].map((l) => `${l.exchange}:${l.symbol}`) };
}

/** Legs of a run that are paused now: their latest `leg.paused` has no `leg.resumed` after it. */
export function pausedLegs(store: Store, runId: string): Set<number> {
  const rows = connectionOf(store)
    .prepare("SELECT type, json_extract(payload, '$.leg') AS leg FROM events WHERE run_id = ? AND type IN ('leg.paused', 'leg.resumed') ORDER BY seq")
    .all(runId) as { type: string; leg: number }[];
  const paused = new Set<number>();
  for (const r of rows) {
    if (r.type === 'leg.paused') paused.add(r.leg);
    else paused.delete(r.leg);
  }
  return paused;
}
