import type { EventReader, NewEvent, PtexecEvent, StoredEvent } from '../domain/events/index.js';

/**
 * What the engine needs from persistence. `Store` (src/store) implements it; a PostgreSQL store
 * would implement the same. The engine never opens files or databases itself.
 */
export interface EventLog extends EventReader {
  /**
   * Appends atomically, with projections, and returns the events with their sequence numbers and
   * the wall-clock time the log recorded them at (`ts`); the engine gives its own clock's time as
   * `marketTs`, never as the recording time.
   */
  append(events: NewEvent | readonly NewEvent[]): StoredEvent<PtexecEvent>[];
  /** Sequence number of the newest event (0 when there is none). */
  lastSeq(): number;
  /** Runs `fn` as one transaction: every append inside it commits together, or none does. */
  transaction<T>(fn: () => T): T;
  /**
   * Housekeeping the store may do when the engine has nothing to do (WAL checkpoints). Throws
   * when what is appended can no longer be kept (see `checkIntact`).
   */
  idle?(): void;
  /** Throws a StorageError if what was appended can no longer be kept (its file was deleted or replaced). */
  checkIntact?(): void;
}

/** What the engine needs to know about runs already recorded. */
export interface RunDirectory {
  runStatus(runId: string): { status: string; dryRun: boolean } | undefined;
  /** Finished runs of the account that left orders working at the broker (a bracket's exits). */
  runsLeavingWorkingOrders?(broker: string, account: string): string[];
}

/** One run at a time per broker account. */
export interface AccountLocks {
  acquire(key: string, runId: string): { ok: true } | { ok: false; holder: { runId: string; pid: number; hostname: string } };
  release(key: string, runId: string): void;
  /** Whether this process still holds the lock (it may have been removed or taken over since). */
  holds?(key: string, runId: string): boolean;
}

/**
 * What a run does when a write finds the database locked by another process (a
 * DatabaseBusyError: the write never started): pause on the run's clock for the returned
 * milliseconds and write again, or, when it returns undefined, stop the run resumably.
 * `attempt` counts the failed writes in a row, from 1.
 */
export interface BusyPolicy {
  pauseBeforeRetry(attempt: number): number | undefined;
}
