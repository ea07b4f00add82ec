import type { NewEvent, OrderStatusChanged } from '../../domain/events/index.js';
import type { OrderStatus } from '../../domain/order.js';
import type { RuntimeContext } from './runtime-context.js';
import type { ChildOrder, ParentOrder } from './runtime-state.js';

type Events = Pick<RuntimeContext, 'event'>;

/** Moves a child order to `to` and returns the event that records it (none when nothing changed). */
export function childStatus(ctx: Events, child: ChildOrder, to: OrderStatus, extra: { brokerOrderId?: string; reason?: string; brokerStatus?: string } = {}): NewEvent[] {
  const from = child.status;
  if (from === to && !extra.brokerOrderId) return [];
  child.status = to;
  if (extra.reason) child.reason = extra.reason;
  const payload: OrderStatusChanged['payload'] = { clientOrderId: child.clientOrderId, from, to };
  if (extra.brokerOrderId !== undefined) payload.brokerOrderId = extra.brokerOrderId;
  if (extra.reason !== undefined) payload.reason = extra.reason;
  if (extra.brokerStatus !== undefined) payload.brokerStatus = extra.brokerStatus;
  return [ctx.event('order.status', payload)];
}

/** Moves a leg's parent order to `to` and returns the event that records it (none when nothing changed). */
export function parentStatus(ctx: Events, parent: ParentOrder, to: OrderStatus, reason?: string): NewEvent[] {
  const from = parent.status;
  if (from === to) return [];
  parent.status = to;
  return [ctx.event('order.status', { clientOrderId: parent.parentId, from, to, ...(reason ? { reason } : {}) } satisfies OrderStatusChanged['payload'])];
}
