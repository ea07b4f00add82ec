import { connectionOf } from './connection.js';
import type { Store } from './store.js';

/** An `Idempotency-Key` of `POST /execute`: the request it was first sent with (a hash) and the run it names. */
export interface IdempotencyRow {
  key: string;
  request_hash: string;
  run_id: string;
  token_id: string | null;
  created_at: number;
}

/**
 * Binds a key to a request and a run unless it is bound already: the row that holds the key
 * afterwards (the new one, or the earlier one to compare with). One statement, so two requests
 * racing with one key cannot both claim it.
 */
export function claimIdempotencyKey(store: Store, row: IdempotencyRow): { claimed: boolean; row: IdempotencyRow } {
  const db = connectionOf(store);
  const inserted = db
    .prepare('INSERT INTO idempotency_keys (key, request_hash, run_id, token_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING')
    .run(row.key, row.request_hash, row.run_id, row.token_id, row.created_at);
  if (inserted.changes === 1) return { claimed: true, row };
  return { claimed: false, row: db.prepare('SELECT * FROM idempotency_keys WHERE key = ?').get(row.key) as IdempotencyRow };
}

/** Frees a key whose request ended before any run was recorded (bad input, the broker down): nothing was sent, so it may be tried again. */
export function releaseIdempotencyKey(store: Store, key: string): void {
  connectionOf(store).prepare('DELETE FROM idempotency_keys WHERE key = ?').run(key);
}
