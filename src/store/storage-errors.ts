import { dirname } from 'node:path';
import { StorageError, type StorageErrorKind } from '../domain/errors/storage-error.js';

/**
 * Turns what SQLite or the file system reports about the database into a {@link StorageError}
 * that names the file and the fix. Anything else (a constraint, an SQL mistake) is a bug and is
 * left alone.
 */
export function storageErrorFrom(err: unknown, path: string): StorageError | undefined {
  if (err instanceof StorageError) return err;
  return sqliteStorageError(err, path) ?? fileSystemStorageError(err, path);
}

/** A failure SQLite reported (better-sqlite3's SqliteError carries the extended result code). */
export function sqliteStorageError(err: unknown, path: string): StorageError | undefined {
  if (err instanceof StorageError) return err;
  const code = errorCode(err);
  if (!code?.startsWith('SQLITE_')) return undefined;
  const kind = sqliteKind(code);
  return kind && storageError(kind, path, `${(err as Error).message}, ${code}`, err);
}

/** A failure of the file system while ptexec made the database's folder or looked at its file. */
export function fileSystemStorageError(err: unknown, path: string): StorageError | undefined {
  const code = errorCode(err);
  const kind = code ? FILE_SYSTEM_KINDS[code] : undefined;
  if (!kind) return undefined;
  const { syscall, path: at } = err as NodeJS.ErrnoException;
  if (syscall !== 'mkdir' || !at) return storageError(kind, path, (err as Error).message, err);
  // A folder that could not be made: a file is in the way, or the folder above refused it.
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    const file = code === 'EEXIST' ? at : dirname(at);
    return storageError(kind, path, `${file} is a file, not a folder`, err, file);
  }
  return storageError(kind, path, (err as Error).message, err, dirname(at));
}

function sqliteKind(code: string): StorageErrorKind | undefined {
  if (code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code === 'SQLITE_NOTADB') return 'not_a_database';
  if (code === 'SQLITE_READONLY_DBMOVED') return 'replaced';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'read_only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot_open';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  return undefined;
}

const FILE_SYSTEM_KINDS: Record<string, StorageErrorKind> = {
  EACCES: 'cannot_open',
  EPERM: 'cannot_open',
  ENOTDIR: 'cannot_open',
  EEXIST: 'cannot_open',
  ENOENT: 'cannot_open',
  ELOOP: 'cannot_open',
  ENAMETOOLONG: 'cannot_open',
  EISDIR: 'is_directory',
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read_only',
  EIO: 'io',
};

/** The message and fix for each kind; `why` is what SQLite or the system said. */
export function storageError(kind: StorageErrorKind, path: string, why: string, cause?: unknown, dir = dirname(path)): StorageError {
  const elsewhere = 'or use another database file with --db PATH (or PTEXEC_DB)';
  const [message, hint] = ((): [string, string] => {
    switch (kind) {
      case 'corrupt':
        return [`the database ${path} is damaged (${why})`, `restore it from a backup, ${elsewhere}`];
      case 'not_a_database':
        return [`${path} is not a ptexec database (${why})`, 'check that --db or PTEXEC_DB names the ptexec database (or a new file), or restore it from a backup'];
      case 'read_only':
        return [`the database ${path} cannot be written: the file or its folder is read-only for this user (${why})`, `make both writable by you (\`chmod u+w ${path} ${dir}\`, or give them to your user with chown), ${elsewhere}`];
      case 'locked':
        return [`the database ${path} is locked by another process (${why})`, 'close the other program writing to it (another ptexec, an sqlite3 shell), or wait for it to finish and try again'];
      case 'full':
        return [`the disk holding the database ${path} is full (${why})`, `free space on that disk (\`df -h ${dir}\` shows how much is left)`];
      case 'is_directory':
        return [`the database path ${path} is a folder, not a file`, `give a file inside it with --db ${path}/ptexec.db (or PTEXEC_DB), or move the folder away`];
      case 'cannot_open':
        return [`the database ${path} cannot be opened (${why})`, `check that the folder ${dir} exists and that you may read and write it and the database in it (\`ls -ld ${dir}\`; chmod u+rwx or chown), ${elsewhere}`];
      case 'io':
        return [`the database ${path} could not be read or written: the disk reported an error (${why})`, 'check the disk (and that the file is not on a disconnected drive) and try again; restore from a backup if it keeps failing'];
      case 'newer_version':
        return [`the database ${path} was written by a newer ptexec (${why}); nothing was changed`, `upgrade ptexec (npm install -g ptexec@latest), ${elsewhere}`];
      case 'replaced':
        return [`the database file ${path} was deleted or replaced while ptexec was writing to it (${why})`, 'put the file back (or restore it) before running ptexec again'];
    }
  })();
  return new StorageError(kind, path, message, hint, undefined, { cause });
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
