import type Database from 'better-sqlite3';
import type { StoredEvent } from '../../domain/events.js';

/**
 * Updates projection tables for one event, inside the transaction that appends it. A projector
 * must be a pure function of (tables, event) so that replaying the events rebuilds the tables.
 */
export interface Projector {
  /** Tables this projector owns; cleared before a rebuild. */
  tables: string[];
  /** Event types it handles. */
  handles: string[];
  prepare(db: Database.Database): (event: StoredEvent) => void;
}
