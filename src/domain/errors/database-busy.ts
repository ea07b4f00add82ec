import { StorageError } from './storage-error.js';

/**
 * Another process held the database's write lock for longer than the busy timeout. The write
 * that met it never started, so it may be tried again as it was; a run waits and retries (see
 * engine/busy-retry.ts) before it gives up resumably.
 */
export class DatabaseBusyError extends StorageError {
  constructor(path: string, cause?: unknown) {
    super('locked', path, `the database ${path} is locked: another process is writing`, 'close the other program writing to it (another ptexec, an sqlite3 shell), or wait for it to finish and try again', undefined, { cause });
    this.name = 'DatabaseBusyError';
  }
}

/** SQLite's "database is locked" (SQLITE_BUSY and its extended codes), raw or already typed. */
export function isDatabaseBusy(err: unknown): boolean {
  if (err instanceof DatabaseBusyError) return true;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
