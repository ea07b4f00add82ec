import type { BrokerError } from '../../domain/errors/broker-error.js';
import type { Clock } from '../../domain/clock.js';
import { isDatabaseBusy } from '../../domain/errors/database-busy.js';
import type { PaperDb } from './paper-db.js';
import { paperError } from './paper-error.js';

/** What the guard needs of the paper tables: transactions and the version every write bumps. */
export type GuardedRecords = Pick<PaperDb, 'transaction' | 'version' | 'bumpVersion' | 'noteMarketTime' | 'writes'>;

/**
 * Keeps a paper broker's memory and its tables in step. Several instances (and processes) may
 * share the tables: every change bumps their version, and an instance that finds the version
 * moved reloads what it caches (`reload`). Every change runs through `write`, in one transaction.
 */
export class StorageGuard {
  private knownVersion = -1;
  /** Why the market stopped: its tables could not be written (see stopMarket). */
  private down?: string;

  constructor(
    private readonly records: GuardedRecords,
    private readonly clock: Clock,
    private readonly hooks: {
      /** Forget and reload every cached order, group and price: another writer changed the tables. */
      reload(): void;
      /** The market stopped: end its timers and forget the updates it queued. */
      stopped(): void;
    },
  ) {}

  get isDown(): boolean {
    return this.down !== undefined;
  }

  /**
   * Reloads cached state when another writer (a second broker instance, an account reset)
   * changed the paper tables since this instance last looked.
   */
  sync(): void {
    if (this.records.version() === this.knownVersion) return;
    this.hooks.reload();
    this.knownVersion = this.records.version();
  }

  /**
   * Runs a change in one write transaction, marks the paper tables as changed and notes the
   * market time the change was made at (a later process's clock starts after it). Another
   * process holding the database past the busy timeout is the broker being unavailable: the
   * change never began, and the caller may try again (an order is looked up by its client id
   * before it is sent again). Any other failure to save stops the market (see stopMarket).
   */
  write<T>(fn: () => T): T {
    if (this.down) throw this.unavailable();
    try {
      return this.records.transaction(() => {
        this.sync();
        const before = this.records.writes;
        const result = fn();
        if (this.records.writes !== before) {
          this.knownVersion = this.records.bumpVersion();
          this.records.noteMarketTime(this.clock.now());
        }
        return result;
      });
    } catch (err) {
      if (isDatabaseBusy(err)) throw paperError('unavailable', 'the paper account could not be written: another process is writing to the database', { code: 'database_busy' });
      if (!isStorageFailure(err)) throw err;
      this.stopMarket(err as Error);
      throw this.unavailable();
    }
  }

  unavailable(): BrokerError {
    return paperError('unavailable', `the paper market stopped: it could not save its state (${this.down})`);
  }

  /**
   * The database refused a write (a full disk, a lost file…): what this market holds in memory
   * and the updates it queued are now ahead of its tables, so it stops — no more matching, no
   * updates, every order call answers "unavailable" — like an exchange gateway that went down.
   * A broker opened again reads the tables as they were last saved.
   */
  private stopMarket(err: Error): void {
    this.down = err.message;
    this.hooks.stopped();
    this.knownVersion = Number.NaN;
  }
}

/** A failure of the database under the paper tables (not a constraint or a mistake in SQL). */
function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|CORRUPT|NOTADB|READONLY|BUSY|LOCKED|CANTOPEN)/.test(code);
}
