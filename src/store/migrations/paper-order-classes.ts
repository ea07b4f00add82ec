import type { Migration } from './migration.js';

/**
 * Links of the paper broker's bracket and OCO orders: which orders form one group, the exit
 * prices, how much of the entry the exits protect, and when pending exits are due. Kept in the
 * database so that another broker instance (or process) goes on applying one-cancels-other.
 */
export const paperOrderClassMigrations: Migration[] = [
  {
    id: '0201-paper-order-links',
    sql: `
      CREATE TABLE paper_order_links (
        parent_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        order_class TEXT NOT NULL,
        exit_side TEXT NOT NULL,
        take_profit_price INTEGER NOT NULL,
        stop_trigger_price INTEGER NOT NULL,
        stop_limit_price INTEGER,
        protected_quantity INTEGER NOT NULL,
        take_profit_id TEXT,
        stop_loss_id TEXT,
        exits_due_at INTEGER,
        active INTEGER NOT NULL
      );
      CREATE INDEX paper_order_links_active ON paper_order_links(account_id, active);
    `,
  },
];
