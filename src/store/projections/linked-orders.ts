import type Database from 'better-sqlite3';
import { exhaustive, marketTimeOf } from '../../domain/events/index.js';
import { heldOrderUpdates } from './core.js';
import type { Projector } from './projector.js';

/**
 * Linked orders in the `orders` projection (owned by the core projector, which inserts the row
 * first): the group of a bracket or OCO and its exit legs, and quantities the broker changed.
 */
export const linkedOrdersProjector: Projector<'order.created' | 'order.resized'> = {
  tables: [],
  prepare(db: Database.Database) {
    const group = db.prepare('UPDATE orders SET link_group = ? WHERE client_order_id = ?');
    const resize = db.prepare('UPDATE orders SET quantity = ?, updated_at = ?, market_updated_at = ? WHERE client_order_id = ?');
    const held = heldOrderUpdates(db);
    return (event) => {
      switch (event.type) {
        case 'order.resized': {
          const p = event.payload;
          // The held changes first, so that the row's times are this event's, as they would be in turn.
          held.write();
          resize.run(p.to, event.ts, marketTimeOf(event), p.clientOrderId);
          break;
        }
        case 'order.created': {
          const p = event.payload;
          if (p.exitOf) group.run(p.exitOf, p.clientOrderId);
          else if (p.orderClass) group.run(p.clientOrderId, p.clientOrderId);
          break;
        }
        default:
          exhaustive(event);
      }
    };
  },
};
