/**
 * Another process held the database's write lock for longer than the busy timeout. The write
 * that met it never started, so it may be tried again as it was.
 */
export class DatabaseBusyError extends Error {
  constructor(readonly path: string) {
    super(`the database ${path} is locked: another process is writing`);
    this.name = 'DatabaseBusyError';
  }
}

/** SQLite's "database is locked" (SQLITE_BUSY and its extended codes), raw or already typed. */
export function isDatabaseBusy(err: unknown): boolean {
  if (err instanceof DatabaseBusyError) return true;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
