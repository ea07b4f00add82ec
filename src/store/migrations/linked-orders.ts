import type { Migration } from './migration.js';

/**
 * Which orders of ours form one linked group (a bracket entry and its exits, an OCO's two
 * legs): the group is the client order id of the order that carried the request. Readers use it
 * to count a group's exits once (at most one of them fills the protected quantity).
 */
export const linkedOrderMigrations: Migration[] = [
  {
    id: '0501-orders-link-group',
    sql: `ALTER TABLE orders ADD COLUMN link_group TEXT;`,
  },
];
