import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { latestRun, listFills, listOrders, listRuns, orderHistory, type FillRow, type OrderRow, type RunRow } from '../store/queries.js';
import type { Factory } from './factory.js';
import { orderNamed, runNamed } from './named-inputs.js';
import { runGroup } from './group/run-group.js';
import { runLegs } from './run-legs.js';

// What the database recorded, as `runs`, `runs show`, `orders`, `orders show` and `fills` list it.

/** The rows a list shows, at most its limit, and whether more matched: a list never stops short without saying so. */
export interface Page<T> {
  rows: T[];
  more: boolean;
}

/** Reads one row past the limit to know whether more matched. */
function page<T>(limit: number, read: (limit: number) => T[]): Page<T> {
  const rows = read(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

export function recordedRuns(f: Factory, filter: { status?: string; broker?: string; limit?: number }): Page<GroupedRun> {
  const listed = page(filter.limit ?? 50, (limit) => listRuns(f.store(), { ...filter, limit }));
  return { ...listed, rows: listed.rows.map((r) => withGroup(f, r)) };
}

/** A run with the group rebalance it belongs to (null: a run of its own). */
export type GroupedRun = RunRow & { group: string | null; failoverOf?: string | null; movedTo?: string[] };

function withGroup(f: Factory, run: RunRow): GroupedRun {
  const g = runGroup(f.store(), run.run_id);
  return { ...run, group: g?.group ?? null, failoverOf: g?.failoverOf ?? null, movedTo: g?.movedTo ?? [] };
}

/** One run (by id or unique prefix; else the latest) and each of its legs. */
export function recordedRun(f: Factory, name?: string): { run: GroupedRun; legs: ReturnType<typeof runLegs> } {
  const store = f.store();
  const run = name ? runNamed(store, name) : latestRun(store);
  if (!run) throw new InvalidInputError('no runs yet', 'try `ptexec rebalance examples/portfolio.json --dry-run`');
  return { run: withGroup(f, run), legs: runLegs(store, run.run_id) };
}

export function recordedOrders(f: Factory, filter: { run?: string; status?: string; symbol?: string; parents: boolean; limit?: number }): Page<OrderRow> {
  const runId = filter.run === undefined ? undefined : runNamed(f.store(), filter.run).run_id;
  return page(filter.limit ?? 1000, (limit) => listOrders(f.store(), { runId, status: filter.status, symbol: filter.symbol, parentsOnly: filter.parents, childrenOnly: !filter.parents, limit }));
}

/** One order (by id or unique prefix), what happened to it, and its fills. */
export function recordedOrder(f: Factory, id: string): { order: OrderRow; history: ReturnType<typeof orderHistory>; fills: FillRow[] } {
  const store = f.store();
  const order = orderNamed(store, id);
  return { order, history: orderHistory(store, order.client_order_id, order.run_id), fills: listFills(store, { clientOrderId: order.client_order_id }) };
}

/** Fills, narrowed to a run, a symbol or an order (a parent's includes its children's). */
export function recordedFills(f: Factory, filter: { run?: string; symbol?: string; order?: string; limit?: number }): Page<FillRow> {
  const store = f.store();
  const runId = filter.run === undefined ? undefined : runNamed(store, filter.run).run_id;
  const clientOrderId = filter.order === undefined ? undefined : orderNamed(store, filter.order).client_order_id;
  return page(filter.limit ?? 10_000, (limit) => listFills(store, { runId, symbol: filter.symbol, clientOrderId, limit }));
}
