import type Database from 'better-sqlite3';
import { marketTimeOf, type OrderCreated, type OrderResized, type StoredEvent } from '../../domain/events.js';
import type { Projector } from './projector.js';

/**
 * Linked orders in the `orders` projection (owned by the core projector, which inserts the row
 * first): the group of a bracket or OCO and its exit legs, and quantities the broker changed.
 */
export const linkedOrdersProjector: Projector = {
  tables: [],
  handles: ['order.created', 'order.resized'],
  prepare(db: Database.Database) {
    const group = db.prepare('UPDATE orders SET link_group = ? WHERE client_order_id = ?');
    const resize = db.prepare('UPDATE orders SET quantity = ?, updated_at = ?, market_updated_at = ? WHERE client_order_id = ?');
    return (event: StoredEvent) => {
      if (event.type === 'order.resized') {
        const p = event.payload as OrderResized['payload'];
        resize.run(p.to, event.ts, marketTimeOf(event), p.clientOrderId);
        return;
      }
      const p = event.payload as OrderCreated['payload'];
      if (p.exitOf) group.run(p.exitOf, p.clientOrderId);
      else if (p.orderClass) group.run(p.clientOrderId, p.clientOrderId);
    };
  },
};
