import type { Migration } from './migration.js';

/** The kill switch (one row, projected from risk.halted/risk.unhalted) and the duplicate guard's index. */
export const riskMigrations: Migration[] = [
  {
    id: '0200-risk-halt',
    sql: `
      CREATE TABLE risk_halt (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        halted INTEGER NOT NULL,
        reason TEXT,
        at INTEGER,
        cancel_open INTEGER NOT NULL,
        actor TEXT,
        seq INTEGER NOT NULL
      );
      CREATE INDEX orders_by_account_symbol ON orders(broker, account, symbol, side, created_at);
      CREATE INDEX orders_by_account_created ON orders(broker, account, created_at);
    `,
  },
];
