import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { DatabaseBusyError, isDatabaseBusy } from '../domain/errors/database-busy.js';
import type { BrokerTables } from '../domain/broker-tables.js';
import { decodeEvent, ofTypes, type EventQuery, type EventReader, type EventType, type NewEvent, type PtexecEvent, type StoredEvent, type StoredEventOf } from '../domain/events/index.js';
import { bindConnection } from './connection.js';
import { EventWriter } from './event-writer.js';
import { DatabaseFile } from './database-file.js';
import { migrate, newerSchema } from './migrate.js';
import type { Migration } from './migrations/migration.js';
import { heldOrderUpdates, type HeldOrderUpdates } from './projections/core.js';
import { PROJECTED_BY, projectors } from './projections/index.js';
import { sqliteStorageError, storageError, storageErrorFrom } from './storage-errors.js';

/**
 * better-sqlite3 is CommonJS: imported from an ES module, Node first scans its source for the
 * names it exports (about 10 ms of a command's start, mostly starting the scanner); required, it
 * is simply loaded.
 */
const SqliteDatabase = createRequire(import.meta.url)('better-sqlite3') as typeof Database;

/** A row of the `events` table. */
export type EventRow = { seq: number; run_id: string | null; ts: number; market_ts: number | null; type: string; payload: string };

/** The tables a statement names (what follows FROM, JOIN, INTO, UPDATE or TABLE). */
const TABLE_NAMES = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?!SET\b)["`]?([A-Za-z_][A-Za-z0-9_]*)/gi;
/** SQLite's own catalogue, which anyone may read (a broker checks that its tables exist). */
const SCHEMA_TABLES = new Set(['sqlite_master', 'sqlite_schema']);

/** How long a write waits for another process's write lock before it fails with DatabaseBusyError. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * The one SQLite database: the append-only event log plus projections updated in the same
 * transaction. Keep callers on these methods (not raw SQL on events) so that a different store
 * (PostgreSQL) stays a swap.
 */
export class Store implements EventReader {
  private readonly db: Database.Database;
  /** Per event type, the projectors' updates, prepared once. */
  private readonly project = new Map<string, ((e: StoredEvent<PtexecEvent>) => void)[]>();
  private readonly writer: EventWriter;
  /** The `orders` updates held until the transaction commits or something reads the database. */
  private readonly heldOrders: HeldOrderUpdates;
  /** Event reads by their SQL: a running engine reads its controls on every poll. */
  private readonly reads = new Map<string, Database.Statement>();
  /** True while a transaction begun by `transaction()` is open: its event rows may be buffered. */
  private inOwnTransaction = false;
  private commitsSinceCheckpoint = 0;
  private readonly appendListeners = new Set<(events: readonly StoredEvent[]) => void>();
  /** Events appended inside a transaction still open: announced when it commits. */
  private appendedInTransaction: StoredEvent[] = [];
  /**
   * The wrapper of every write transaction, made once: an engine commits a step per message, and
   * a wrapper made per step costs as much as the step's own work.
   */
  private readonly writeTransaction: Database.Transaction<(fn: () => unknown) => unknown>;
  /**
   * The wall clock that stamps every event's `ts` (tests replace it). Never the engine's clock:
   * that one may be a simulated market's, and its time goes in `marketTs`.
   */
  wallClock: () => number = Date.now;

  private constructor(
    db: Database.Database,
    /** The file behind the connection; undefined for `:memory:`. */
    private readonly file?: DatabaseFile,
  ) {
    this.db = db;
    const prepared = new Map(projectors.map((p) => [p as object, p.prepare(db) as (e: StoredEvent<PtexecEvent>) => void]));
    this.heldOrders = heldOrderUpdates(db);
    bindConnection(this, db, () => this.heldOrders.write());
    for (const [type, list] of Object.entries(PROJECTED_BY)) this.project.set(type, list.map((p) => prepared.get(p)!));
    this.writer = new EventWriter(db);
    this.writeTransaction = db.transaction((fn: () => unknown) => {
      this.inOwnTransaction = true;
      this.heldOrders.hold();
      try {
        const value = fn();
        this.heldOrders.write();
        this.writer.flush();
        return value;
      } finally {
        this.inOwnTransaction = false;
        this.heldOrders.discard();
        this.writer.reset();
      }
    });
  }

  /**
   * Opens (creating if needed, private to the user) the database at `path`; `:memory:` works for
   * tests. A database that cannot be used throws a StorageError naming the file and the fix, and
   * one written by a newer ptexec is refused before anything is written to it. `migrations` is
   * the whole schema, the tables other areas own included (see src/app/database.ts).
   */
  static open(path: string, options: { readonly?: boolean; migrations: readonly Migration[] }): Store {
    const { migrations } = options;
    const readonly = options.readonly ?? false;
    try {
      const file = path === ':memory:' ? undefined : DatabaseFile.prepare(path, { create: !readonly });
      const db = new SqliteDatabase(path, { readonly, fileMustExist: readonly });
      try {
        file?.opened();
        db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        const newer = newerSchema(db, migrations);
        if (newer) throw storageError('newer_version', path, newer);
        if (!readonly) {
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = NORMAL');
          // Checkpoints run when the writer is idle (see idle()), not inside a commit on the path
          // from an algorithm's decision to the broker.
          db.pragma('wal_autocheckpoint = 0');
          db.pragma('foreign_keys = ON');
          migrate(db, migrations);
        }
        return new Store(db, file);
      } catch (err) {
        db.close();
        throw err;
      }
    } catch (err) {
      throw storageErrorFrom(err, path) ?? err;
    }
  }

  close(): void {
    if (!this.db.open) return;
    try {
      this.checkpoint();
    } catch {
      // What a checkpoint could not move stays in the WAL; the next open carries it over.
    }
    this.db.close();
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE), so readers never see half a step. When
   * another process holds the write lock past the busy timeout, BEGIN fails before `fn` has run:
   * that is a DatabaseBusyError, and the same call may simply be made again.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    let began = false;
    let result: T;
    this.appendedInTransaction = [];
    try {
      result = this.writeTransaction.immediate(() => {
        began = true;
        return fn();
      }) as T;
    } catch (err) {
      // Another writer held the lock past the busy timeout before this one began: nothing was
      // written, and the same call may be made again (DatabaseBusyError is a StorageError).
      this.appendedInTransaction = [];
      if (!began && isDatabaseBusy(err)) throw new DatabaseBusyError(this.db.name, err);
      // A full disk, a lost file or another writer is the user's to fix: say which file and how.
      throw sqliteStorageError(err, this.db.name) ?? err;
    }
    if (this.appendedInTransaction.length) {
      const committed = this.appendedInTransaction;
      this.appendedInTransaction = [];
      this.announce(committed);
    }
    // A writer that is never idle still checkpoints now and then, so the WAL stays bounded.
    if (++this.commitsSinceCheckpoint >= 20_000) {
      try {
        this.checkpoint();
      } catch {
        // The commit stands: what could not be checkpointed stays in the WAL, and idle() tries
        // again (and reports a failure that persists).
      }
    }
    return result;
  }

  /**
   * Housekeeping while the writer has nothing to do: stops (throws a StorageError) if the
   * database file was deleted or replaced since it was opened, then folds the WAL back into the
   * database when enough has been written.
   */
  idle(): void {
    this.checkIntact();
    try {
      this.checkpoint();
    } catch (err) {
      // Another process is writing: housekeeping waits for the next idle moment.
      if (isDatabaseBusy(err)) return;
      throw sqliteStorageError(err, this.db.name) ?? err;
    }
  }

  /**
   * Throws a StorageError if the file at the database's path is no longer the one this
   * connection writes (deleted, or replaced by another file). What the connection holds is
   * first saved next to it, so a run's records since then are not lost.
   */
  checkIntact(): void {
    if (this.file && !this.db.readonly) this.file.checkIntact(() => this.db.serialize());
  }

  private checkpoint(): void {
    if (this.commitsSinceCheckpoint < 500 || this.db.inTransaction || this.db.readonly) return;
    const [result] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    this.commitsSinceCheckpoint = 0;
    // With every frame back in the database, the next write starts the WAL over and syncs its new
    // header to disk (about a millisecond). Make that write now, while idle, rather than in the
    // next commit, which may carry an order intent on its way to the broker. Rewriting the header's
    // user_version with its own value is the smallest write there is.
    if (result && result.log > 0 && result.checkpointed === result.log) {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      this.db.pragma(`user_version = ${Math.trunc(version)}`);
    }
  }

  /**
   * Appends events and updates projections atomically. Returns them with their sequence numbers.
   * Events of one engine step should be appended together: one transaction, one fsync.
   */
  append(events: NewEvent | readonly NewEvent[]): StoredEvent<PtexecEvent>[] {
    const list: readonly NewEvent[] = Array.isArray(events) ? events : [events as NewEvent];
    const stored = this.transaction(() => list.map((e) => this.appendOne(e)));
    if (this.appendListeners.size) {
      if (this.db.inTransaction) this.appendedInTransaction.push(...stored);
      else this.announce(stored);
    }
    return stored;
  }

  /**
   * Hands `listener` every event this connection appends, once its transaction has committed
   * (`ptexec serve` counts its metrics from them as they are recorded, instead of reading the
   * table again). A listener's failure never fails the write. Returns how to stop listening.
   */
  onAppend(listener: (events: readonly StoredEvent[]) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  private announce(events: readonly StoredEvent[]): void {
    for (const listener of this.appendListeners) {
      try {
        listener(events);
      } catch {
        // An observer (metrics) must never fail the run that recorded the events.
      }
    }
  }

  private appendOne(e: NewEvent): StoredEvent<PtexecEvent> {
    const ts = this.wallClock();
    const marketTs = e.marketTs ?? null;
    const payload = JSON.stringify(e.payload) as string | undefined;
    if (payload === undefined) throw new TypeError(`event ${e.type} has no payload`);
    const seq = this.inOwnTransaction ? this.writer.buffer(e.runId, ts, marketTs, e.type, payload) : this.writer.writeNow(e.runId, ts, marketTs, e.type, payload);
    // The event as given, with its place in the log: its payload is already the typed object.
    const stored = { seq, runId: e.runId, ts, type: e.type, payload: e.payload } as StoredEvent<PtexecEvent>;
    if (marketTs !== null) stored.marketTs = marketTs;
    for (const apply of this.project.get(e.type) ?? []) apply(stored);
    return stored;
  }

  /**
   * Events in sequence order, each decoded once (`decodeEvent`): an event this version does not
   * know comes back as an `UnknownEvent`, never as an error. Asked for some types, only events of
   * those types come back (one that cannot be read is left out).
   */
  events<T extends EventType>(query: EventQuery & { types: readonly T[] }): StoredEventOf<T>[];
  events(query?: EventQuery): StoredEvent[];
  events(query: EventQuery = {}): StoredEvent[] {
    this.writer.flush();
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.runId === null) where.push('run_id IS NULL');
    else if (query.runId !== undefined) {
      where.push('run_id = ?');
      args.push(query.runId);
    }
    if (query.afterSeq !== undefined) {
      where.push('seq > ?');
      args.push(query.afterSeq);
    }
    if (query.types?.length) {
      where.push(`type IN (${query.types.map(() => '?').join(',')})`);
      args.push(...query.types);
    }
    const sql = `SELECT seq, run_id, ts, market_ts, type, payload FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${query.limit ? `LIMIT ${Math.trunc(query.limit)}` : ''}`;
    let statement = this.reads.get(sql);
    if (!statement) this.reads.set(sql, (statement = this.db.prepare(sql)));
    const events = (statement.all(...args) as EventRow[]).map(decodeRow);
    return query.types?.length ? events.filter(ofTypes(query.types)) : events;
  }

  lastSeq(): number {
    this.writer.flush();
    let statement = this.reads.get('lastSeq');
    if (!statement) this.reads.set('lastSeq', (statement = this.db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck()));
    return (statement.get() as number) ?? 0;
  }

  /**
   * The latest market time any event carries (0 when there is none): a simulated market's clock
   * must not start before it. Events recorded before market times were kept separately have
   * their engine time in `ts`.
   */
  lastMarketTs(): number {
    this.writer.flush();
    return (this.db.prepare('SELECT coalesce(max(coalesce(market_ts, ts)), 0) FROM events').pluck().get() as number) ?? 0;
  }

  /**
   * The tables broker `broker` owns (`<broker>_…`, created by its migrations), for its
   * persistence: statements it prepares on them, and transactions. A statement on any other
   * table is refused when prepared.
   */
  brokerTables(broker: string): BrokerTables {
    const db = this.db;
    const prefix = `${broker}_`;
    const brokerTransaction = db.transaction((fn: () => unknown) => fn());
    return {
      prepare(sql: string) {
        for (const [, table] of sql.matchAll(TABLE_NAMES)) {
          if (!table!.startsWith(prefix) && !SCHEMA_TABLES.has(table!)) throw new Error(`the ${broker} broker may use only its own tables (${prefix}…), not ${table}`);
        }
        return db.prepare(sql);
      },
      transaction<T>(fn: () => T): T {
        if (db.inTransaction) return fn();
        return brokerTransaction.immediate(fn) as T;
      },
    };
  }

  /** The database may grow no further, as if the disk were full (the `disk-full` failpoint). */
  stopGrowing(): void {
    this.db.pragma(`max_page_count = ${this.db.pragma('page_count', { simple: true }) as number}`);
  }

  /** Clears every projection table and replays the whole log into them. */
  rebuildProjections(): void {
    this.transaction(() => {
      this.writer.flush();
      for (const projector of projectors) for (const table of projector.tables) this.db.prepare(`DELETE FROM ${table}`).run();
      // Paged, because a statement cannot be iterated while the same connection writes.
      const page = this.db.prepare('SELECT seq, run_id, ts, market_ts, type, payload FROM events WHERE seq > ? ORDER BY seq LIMIT 5000');
      for (let after = 0; ; ) {
        const rows = page.all(after) as EventRow[];
        if (!rows.length) break;
        for (const row of rows) {
          const e = decodeRow(row);
          // An event this version does not know changes none of its tables.
          if (e.type !== 'unknown') for (const apply of this.project.get(e.type)!) apply(e);
        }
        after = rows[rows.length - 1]!.seq;
      }
    });
  }
}

/** A row of `events` as readers get it: its payload parsed, its type decoded. */
export function decodeRow(row: EventRow): StoredEvent {
  return decodeEvent({ seq: row.seq, runId: row.run_id, ts: row.ts, marketTs: row.market_ts ?? undefined, type: row.type, payload: JSON.parse(row.payload) });
}
