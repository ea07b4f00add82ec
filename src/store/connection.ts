import type Database from 'better-sqlite3';
import type { Store } from './store.js';

const connections = new WeakMap<Store, Database.Database>();
/** Per store, what writes the projection updates it holds back in an open transaction. */
const settlers = new WeakMap<Store, () => void>();

/**
 * Called by the store as it opens: the connection its query modules reach through
 * `connectionOf`, and `settle`, which writes the projection updates the store holds back until
 * its transaction commits (see `HeldOrderUpdates`), so that a read inside that transaction sees them.
 */
export function bindConnection(store: Store, db: Database.Database, settle: () => void): void {
  connections.set(store, db);
  settlers.set(store, settle);
}

/**
 * Writes the projection updates held in the store's open transaction. A query module that keeps
 * prepared statements calls it before each read; `connectionOf` does it for the others.
 */
export function settled(store: Store): void {
  settlers.get(store)?.();
}

/**
 * The SQLite connection behind a store, for the query modules of src/store and for nothing else:
 * code outside src/store goes through the store's methods and those modules (a rule a test
 * checks), so that a different store (PostgreSQL) stays a swap.
 */
export function connectionOf(store: Store): Database.Database {
  const db = connections.get(store);
  if (!db) throw new Error('store has no connection');
  settlers.get(store)!();
  return db;
}
