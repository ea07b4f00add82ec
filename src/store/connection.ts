import type Database from 'better-sqlite3';
import type { Store } from './store.js';

const connections = new WeakMap<Store, Database.Database>();

/** Called by the store as it opens: the connection its query modules reach through `connectionOf`. */
export function bindConnection(store: Store, db: Database.Database): void {
  connections.set(store, db);
}

/**
 * The SQLite connection behind a store, for the query modules of src/store and for nothing else:
 * code outside src/store goes through the store's methods and those modules (a rule a test
 * checks), so that a different store (PostgreSQL) stays a swap.
 */
export function connectionOf(store: Store): Database.Database {
  const db = connections.get(store);
  if (!db) throw new Error('store has no connection');
  return db;
}
