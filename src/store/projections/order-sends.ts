import type Database from 'better-sqlite3';
import type { OrderStatus } from '../../domain/order.js';
import type { Projector } from './projector.js';

/** The statuses that say the broker has the order: an acknowledgement of the send. */
const ACKNOWLEDGING: ReadonlySet<OrderStatus> = new Set(['accepted', 'partially_filled', 'filled']);

/**
 * `order_sends`, from `order.status`: a child order's first send (`pending_submit`, recorded as
 * the request leaves), the broker's acknowledgement of it, and whether its outcome was ever
 * unknown, and whether we asked for it to be cancelled (`pending_cancel`). An acknowledgement after an unknown outcome is the answer to a look-up or a re-send,
 * not to the first send, so it is not taken as the send's latency.
 */
export const orderSendsProjector: Projector<'order.status'> = {
  tables: ['order_sends'],
  prepare(db: Database.Database) {
    const sent = db.prepare('INSERT OR IGNORE INTO order_sends (client_order_id, sent_at) VALUES (?, ?)');
    const unknown = db.prepare('UPDATE order_sends SET unknown_outcome = 1 WHERE client_order_id = ?');
    const cancelRequested = db.prepare('UPDATE order_sends SET cancel_requested = 1 WHERE client_order_id = ?');
    const acknowledged = db.prepare('UPDATE order_sends SET acknowledged_at = ? WHERE client_order_id = ? AND acknowledged_at IS NULL AND unknown_outcome = 0');
    return (event) => {
      const p = event.payload;
      if (p.to === 'pending_submit') sent.run(p.clientOrderId, event.ts);
      else if (p.to === 'unknown') unknown.run(p.clientOrderId);
      else if (p.to === 'pending_cancel') cancelRequested.run(p.clientOrderId);
      else if (p.from === 'pending_submit' && ACKNOWLEDGING.has(p.to)) acknowledged.run(event.ts, p.clientOrderId);
    };
  },
};
