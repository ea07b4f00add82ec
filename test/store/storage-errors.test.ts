import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/domain/errors/storage-error.js';
import { describeError } from '../../src/lib/errors.js';
import { ExitCode } from '../../src/lib/exit-codes.js';
import { sqliteStorageError } from '../../src/store/storage-errors.js';
import { migrations, openDatabase } from '../../src/app/database.js';
import { connectionOf } from '../../src/store/connection.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-storage-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

function openError(path: string, options: { readonly?: boolean } = {}): StorageError {
  try {
    openDatabase(path, options).close();
  } catch (err) {
    if (err instanceof StorageError) return err;
    throw err;
  }
  throw new Error(`${path} opened`);
}

describe('what SQLite reports about the database', () => {
  const path = '/data/ptexec/ptexec.db';
  it.each([
    ['SQLITE_CORRUPT', 'corrupt', /damaged/, /restore it from a backup/],
    ['SQLITE_CORRUPT_INDEX', 'corrupt', /damaged/, /--db PATH/],
    ['SQLITE_NOTADB', 'not_a_database', /is not a ptexec database/, /--db or PTEXEC_DB/],
    ['SQLITE_READONLY', 'read_only', /read-only for this user/, /chmod u\+w \/data\/ptexec\/ptexec\.db \/data\/ptexec/],
    ['SQLITE_READONLY_DIRECTORY', 'read_only', /read-only/, /chown/],
    ['SQLITE_BUSY', 'locked', /locked by another process/, /close the other program writing to it/],
    ['SQLITE_BUSY_SNAPSHOT', 'locked', /locked/, /wait/],
    ['SQLITE_FULL', 'full', /disk holding the database .* is full/, /free space on that disk \(`df -h \/data\/ptexec`/],
    ['SQLITE_CANTOPEN', 'cannot_open', /cannot be opened/, /ls -ld \/data\/ptexec/],
    ['SQLITE_IOERR_WRITE', 'io', /the disk reported an error/, /check the disk/],
    ['SQLITE_READONLY_DBMOVED', 'replaced', /deleted or replaced/, /put the file back/],
  ])('%s is %s, with the path and the fix', (code, kind, message, hint) => {
    const err = sqliteStorageError(new Database.SqliteError('it failed', code), path)!;
    expect(err).toBeInstanceOf(StorageError);
    expect(err.kind).toBe(kind);
    expect(err.code).toBe(code);
    expect(err.message).toContain(path);
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(hint);
    expect(describeError(err)).toMatchObject({ exitCode: ExitCode.storage, bug: false });
  });

  it('leaves mistakes in ptexec (constraints, SQL errors) and other errors to be reported as bugs', () => {
    expect(sqliteStorageError(new Database.SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'), path)).toBeUndefined();
    expect(sqliteStorageError(new Database.SqliteError('no such table: x', 'SQLITE_ERROR'), path)).toBeUndefined();
    expect(sqliteStorageError(Object.assign(new Error('permission denied'), { code: 'EACCES' }), path)).toBeUndefined();
    expect(describeError(new Database.SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'))).toMatchObject({ exitCode: ExitCode.internal, bug: true });
  });

  it('a full disk stops a run resumably (exit 130); other failures of a run say whether it can be resumed', () => {
    const full = sqliteStorageError(new Database.SqliteError('database or disk is full', 'SQLITE_FULL'), path)!.inRun('k3f9a2bc01');
    expect(describeError(full)).toEqual({
      message: `run k3f9a2bc01 stopped: the disk holding the database ${path} is full (database or disk is full, SQLITE_FULL)`,
      hint: 'free space on that disk (`df -h /data/ptexec` shows how much is left), then continue the run with `ptexec resume k3f9a2bc01`',
      exitCode: ExitCode.interrupted,
      bug: false,
      details: [],
      issues: [],
    });
    const corrupt = sqliteStorageError(new Database.SqliteError('database disk image is malformed', 'SQLITE_CORRUPT'), path)!.inRun('k3f9a2bc01');
    expect(describeError(corrupt)).toMatchObject({ exitCode: ExitCode.storage });
    expect(describeError(corrupt).hint).not.toContain('ptexec resume');
  });
});

describe('opening the database', () => {
  it('creates the data folder 0700 and the database, its WAL and shared-memory files 0600', () => {
    const dir = tempDir();
    const path = join(dir, 'data', 'ptexec', 'ptexec.db');
    const store = openDatabase(path);
    store.append({ runId: null, type: 'run.alert', payload: { level: 'info', source: 't', message: 'x' } });
    expect([mode(join(dir, 'data')), mode(join(dir, 'data', 'ptexec'))]).toEqual([0o700, 0o700]);
    expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    store.close();
  });

  it('leaves the permissions of a folder and a file the user made as they are', () => {
    const dir = tempDir();
    const folder = join(dir, 'shared');
    mkdirSync(folder, { mode: 0o755 });
    const path = join(folder, 'team.db');
    new Database(path).close();
    const before = mode(path);
    openDatabase(path).close();
    expect([mode(folder), mode(path)]).toEqual([0o755, before]);
  });

  it('records the schema version: the number of migrations applied', () => {
    const store = openDatabase(join(tempDir(), 'x.db'));
    expect(connectionOf(store).pragma('user_version', { simple: true })).toBe(migrations.length);
    store.close();
  });

  it('refuses, without writing to it, a database written by a newer ptexec, also when opening it read-only', () => {
    const dir = tempDir();
    const unknown = join(dir, 'unknown.db');
    const store = openDatabase(unknown);
    connectionOf(store).prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run('9000-core-from-the-future', 1);
    store.close();
    const higher = join(dir, 'higher.db');
    openDatabase(higher).close();
    const raw = new Database(higher);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    for (const path of [unknown, higher]) {
      const bytes = readFileSync(path);
      for (const readonly of [false, true]) {
        const err = openError(path, { readonly });
        expect(err.kind).toBe('newer_version');
        expect(err.message).toContain(`the database ${path} was written by a newer ptexec`);
        expect(err.message).toContain('nothing was changed');
        expect(err.hint).toContain('upgrade ptexec');
      }
      expect(readFileSync(path).equals(bytes)).toBe(true);
    }
    expect(openError(unknown).message).toContain('9000-core-from-the-future');
  });

  it('names a folder in the way of the data folder, and a write to a database opened read-only', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    for (const path of [join(dir, 'file', 'ptexec.db'), join(dir, 'file', 'deeper', 'ptexec.db')]) {
      const err = openError(path);
      expect(err.kind).toBe('cannot_open');
      expect(err.message).toBe(`the database ${path} cannot be opened (${join(dir, 'file')} is a file, not a folder)`);
      expect(err.hint).toContain(`ls -ld ${join(dir, 'file')}`);
    }
    const path = join(dir, 'x.db');
    openDatabase(path).close();
    const reader = openDatabase(path, { readonly: true });
    let thrown: unknown;
    try {
      reader.append({ runId: null, type: 'run.alert', payload: { level: 'info', source: 't', message: 'x' } });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ kind: 'read_only', path, code: 'SQLITE_READONLY' });
    reader.close();
  });
});
