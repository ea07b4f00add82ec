import type Database from 'better-sqlite3';
import type { EventType, StoredEventOf } from '../../domain/events/index.js';

/**
 * Updates projection tables for the event types `T`, inside the transaction that appends each
 * event. A projector must be a pure function of (tables, event) so that replaying the events
 * rebuilds the tables. Which event types reach which projector is stated once, in `index.ts`.
 */
export interface Projector<T extends EventType> {
  /** Tables this projector owns; cleared before a rebuild. */
  tables: readonly string[];
  prepare(db: Database.Database): (event: StoredEventOf<T>) => void;
}
