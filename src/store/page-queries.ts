import { connectionOf } from './connection.js';
import { RUN_COLUMNS, type FillRow, type OrderRow, type RunRow } from './queries.js';
import type { Store } from './store.js';

/**
 * Keyset pages of runs, orders and fills for the API: each page starts after the last row of the
 * one before (its `after`), so a page costs its own rows whatever the table's size, and rows
 * recorded meanwhile are neither skipped nor repeated. One row past the limit is read to know
 * whether another page follows.
 */
export interface KeyPage<T> {
  rows: T[];
  /** The key the next page starts after; undefined on the last page. */
  next?: number;
}

function keyPage<T>(rows: (T & { page_key: number })[], limit: number): KeyPage<T> {
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { rows: kept.map(({ page_key: _key, ...row }) => row as T), next: more && last ? last.page_key : undefined };
}

/** Runs, newest first (by the order they were recorded). */
export function pageRuns(store: Store, filter: { status?: string; broker?: string; after?: number; limit: number }): KeyPage<RunRow> {
  const where = ['(? IS NULL OR rowid < ?)', '(? IS NULL OR status = ?)', '(? IS NULL OR broker = ?)'];
  const args = [filter.after ?? null, filter.after ?? null, filter.status ?? null, filter.status ?? null, filter.broker ?? null, filter.broker ?? null];
  const rows = connectionOf(store).prepare(`SELECT rowid AS page_key, ${RUN_COLUMNS} FROM runs WHERE ${where.join(' AND ')} ORDER BY rowid DESC LIMIT ?`).all(...args, filter.limit + 1);
  return keyPage(rows as (RunRow & { page_key: number })[], filter.limit);
}

/** Orders in the order they were created (a run's, a status's, a symbol's; parents only = the legs). */
export function pageOrders(store: Store, filter: { runId?: string; status?: string; symbol?: string; parentsOnly?: boolean; after?: number; limit: number }): KeyPage<OrderRow> {
  const where = ['rowid > ?'];
  const args: unknown[] = [filter.after ?? 0];
  if (filter.runId) (where.push('run_id = ?'), args.push(filter.runId));
  if (filter.status) (where.push('status = ?'), args.push(filter.status));
  if (filter.symbol) (where.push('symbol = ?'), args.push(filter.symbol.toUpperCase()));
  if (filter.parentsOnly) where.push('parent_id IS NULL');
  const rows = connectionOf(store).prepare(`SELECT rowid AS page_key, * FROM orders WHERE ${where.join(' AND ')} ORDER BY rowid LIMIT ?`).all(...args, filter.limit + 1);
  return keyPage(rows as (OrderRow & { page_key: number })[], filter.limit);
}

/** Fills in the order they were recorded (the projection inserts them in their events' order). */
export function pageFills(store: Store, filter: { runId?: string; symbol?: string; after?: number; limit: number }): KeyPage<FillRow> {
  const where = ['f.rowid > ?'];
  const args: unknown[] = [filter.after ?? 0];
  if (filter.runId) (where.push('f.run_id = ?'), args.push(filter.runId));
  if (filter.symbol) (where.push('f.symbol = ?'), args.push(filter.symbol.toUpperCase()));
  const sql = `SELECT f.rowid AS page_key, f.*, (SELECT e.ts FROM events e WHERE e.seq = f.seq) AS recorded_at FROM fills f WHERE ${where.join(' AND ')} ORDER BY f.rowid LIMIT ?`;
  const rows = connectionOf(store).prepare(sql).all(...args, filter.limit + 1);
  return keyPage(rows as (FillRow & { page_key: number })[], filter.limit);
}

/** Every run's status: where the server's run metrics start. */
export function runStatuses(store: Store): { run_id: string; status: string }[] {
  return connectionOf(store).prepare('SELECT run_id, status FROM runs').all() as { run_id: string; status: string }[];
}
