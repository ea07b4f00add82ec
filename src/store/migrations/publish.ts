import type { Migration } from './migration.js';

/**
 * Where each publisher of the event log to a message system (a NATS JetStream stream) has got
 * to: the seq of the last event the system acknowledged, so a restarted server resumes after it.
 */
export const publishMigrations: Migration[] = [
  {
    id: '0701-publish-cursors',
    sql: `CREATE TABLE publish_cursors (
      target TEXT PRIMARY KEY,
      seq INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );`,
  },
];
