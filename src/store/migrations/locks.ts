import type { Migration } from './migration.js';

/**
 * The holder of an account lock refreshes `heartbeat_at` while it runs, so a lock whose holder
 * is gone (another host, a reused pid) can be told from a live one. Rows written before this
 * column existed count from `acquired_at`.
 */
export const lockMigrations: Migration[] = [
  {
    id: '0601-locks-heartbeat',
    sql: `ALTER TABLE locks ADD COLUMN heartbeat_at INTEGER;`,
  },
];
