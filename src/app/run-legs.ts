import { legStatus, type LegStatus } from '../domain/leg-status.js';
import type { OrderStatus } from '../domain/order.js';
import { childOutcomes, listOrders, pausedLegs, type OrderRow } from '../store/queries.js';
import type { Store } from '../store/store.js';

/**
 * A run's legs as recorded (their parent orders, all of them), each with its status in the leg
 * vocabulary. What a leg's orders add (whether every one was rejected) is counted by the store,
 * so a leg list costs the legs, not the orders they sent.
 */
export function runLegs(store: Store, runId: string): { order: OrderRow; status: LegStatus }[] {
  const parents = listOrders(store, { runId, parentsOnly: true, limit: null });
  const paused = pausedLegs(store, runId);
  const sent = childOutcomes(store, runId);
  return parents.map((order) => {
    const children = sent.get(order.client_order_id);
    const status = legStatus({
      order: order.status as OrderStatus,
      quantity: order.quantity,
      filled: order.filled_quantity,
      paused: paused.has(order.leg),
      everyOrderRejected: children !== undefined && children.sent > 0 && children.rejected === children.sent,
    });
    return { order, status };
  });
}
