import { legStatus, type LegStatus } from '../domain/leg-status.js';
import type { OrderStatus } from '../domain/order.js';
import { listOrders, pausedLegs, type OrderRow } from '../store/queries.js';
import type { Store } from '../store/store.js';
import { groupBy } from '../domain/group-by.js';

/** A run's legs as recorded (their parent orders), each with its status in the leg vocabulary. */
export function runLegs(store: Store, runId: string): { order: OrderRow; status: LegStatus }[] {
  const orders = listOrders(store, { runId, limit: 1_000_000 });
  const paused = pausedLegs(store, runId);
  const children = groupBy(
    orders.filter((o) => o.parent_id !== null),
    (o) => o.parent_id!,
  );
  return orders
    .filter((o) => o.parent_id === null)
    .map((order) => {
      const sent = children.get(order.client_order_id) ?? [];
      const status = legStatus({
        order: order.status as OrderStatus,
        quantity: order.quantity,
        filled: order.filled_quantity,
        paused: paused.has(order.leg),
        everyOrderRejected: sent.length > 0 && sent.every((c) => c.status === 'rejected'),
      });
      return { order, status };
    });
}
