import { FINISHED_RUN, UNFINISHED_RUN } from '../domain/run-status.js';
import { connectionOf } from './connection.js';
import { LIVE_ORDER_STATUSES as LIVE, sqlList } from './sql-lists.js';
import type { Store } from './store.js';

const FINISHED = sqlList(FINISHED_RUN);
const UNFINISHED = sqlList(UNFINISHED_RUN);

/**
 * Finished runs of an account whose orders are still live at the broker as far as we know:
 * normally a bracket's exits, left working when their leg ended (README "Order types").
 */
export function runsLeavingWorkingOrders(store: Store, broker: string, account: string): string[] {
  return connectionOf(store)
    .prepare(
      `SELECT DISTINCT o.run_id FROM orders o JOIN runs r ON r.run_id = o.run_id
        WHERE o.broker = ? AND o.account = ? AND o.parent_id IS NOT NULL AND o.status IN ${LIVE} AND r.status IN ${FINISHED}
        ORDER BY o.run_id`,
    )
    .pluck()
    .all(broker, account) as string[];
}

/** The client order ids of a run's orders (one leg's, with `leg`) that may still be working at the broker. */
export function liveOrdersOfRun(store: Store, runId: string, leg?: number): string[] {
  return connectionOf(store)
    .prepare(`SELECT client_order_id FROM orders WHERE run_id = ? AND parent_id IS NOT NULL AND status IN ${LIVE} ${leg === undefined ? '' : 'AND leg = ?'} ORDER BY client_order_id`)
    .pluck()
    .all(...(leg === undefined ? [runId] : [runId, leg])) as string[];
}

/** Unfinished runs (not dry runs) with orders that may still be working at the broker, oldest first. */
export function unfinishedRunsWithLiveOrders(store: Store): string[] {
  return connectionOf(store)
    .prepare(
      `SELECT DISTINCT r.run_id FROM runs r JOIN orders o ON o.run_id = r.run_id
        WHERE r.dry_run = 0 AND r.status IN ${UNFINISHED} AND o.parent_id IS NOT NULL AND o.status IN ${LIVE}
        ORDER BY r.created_at, r.run_id`,
    )
    .pluck()
    .all() as string[];
}
