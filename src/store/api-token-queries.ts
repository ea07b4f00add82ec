import { connectionOf } from './connection.js';
import type { Store } from './store.js';

/** A bearer token of the API as stored: never the token itself, only its hash. */
export interface ApiTokenRow {
  id: string;
  name: string | null;
  /** Space-separated, as OAuth writes scopes: `read`, `trade`, `admin`. */
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

export function insertApiToken(store: Store, row: ApiTokenRow & { token_hash: string }): void {
  connectionOf(store)
    .prepare('INSERT INTO api_tokens (id, name, scopes, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)')
    .run(row.id, row.name, row.scopes, row.token_hash, row.created_at);
}

export function listApiTokens(store: Store): ApiTokenRow[] {
  return connectionOf(store).prepare('SELECT id, name, scopes, created_at, revoked_at FROM api_tokens ORDER BY created_at, id').all() as ApiTokenRow[];
}

/** The token whose hash this is, revoked or not. */
export function apiTokenByHash(store: Store, hash: string): ApiTokenRow | undefined {
  return connectionOf(store).prepare('SELECT id, name, scopes, created_at, revoked_at FROM api_tokens WHERE token_hash = ?').get(hash) as ApiTokenRow | undefined;
}

/** Marks a token revoked; false when there is no such token. A revoked token stays revoked. */
export function revokeApiToken(store: Store, id: string, at: number): boolean {
  const db = connectionOf(store);
  if (!db.prepare('SELECT 1 FROM api_tokens WHERE id = ?').get(id)) return false;
  db.prepare('UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(at, id);
  return true;
}
