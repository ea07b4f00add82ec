import type { Store } from './store.js';

/** Statuses in which the broker may still fill an order (src/domain/order.ts `isLive`). */
const LIVE = `('pending_submit', 'unknown', 'accepted', 'partially_filled', 'pending_cancel', 'pending_replace')`;
const FINISHED = `('completed', 'partial', 'incomplete', 'failed')`;

/**
 * Finished runs of an account whose orders are still live at the broker as far as we know:
 * normally a bracket's exits, left working when their leg ended (README "Order types").
 */
export function runsLeavingWorkingOrders(store: Store, broker: string, account: string): string[] {
  return store.db
    .prepare(
      `SELECT DISTINCT o.run_id FROM orders o JOIN runs r ON r.run_id = o.run_id
        WHERE o.broker = ? AND o.account = ? AND o.parent_id IS NOT NULL AND o.status IN ${LIVE} AND r.status IN ${FINISHED}
        ORDER BY o.run_id`,
    )
    .pluck()
    .all(broker, account) as string[];
}
