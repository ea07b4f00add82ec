import type { Migration } from './migration.js';

/**
 * `ptexec serve`: the API's bearer tokens (only a hash of each is kept; the token itself is shown
 * once, when it is created) and the `Idempotency-Key`s of `POST /execute`, each bound to the run
 * it started and to a hash of the request, so that a key never trades twice, across restarts.
 */
export const serveMigrations: Migration[] = [
  {
    id: '0710-serve-tokens-idempotency',
    sql: `
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        name TEXT,
        scopes TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        run_id TEXT NOT NULL,
        token_id TEXT,
        created_at INTEGER NOT NULL
      );
    `,
  },
];
