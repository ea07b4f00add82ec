import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { StorageError } from '../domain/errors/storage-error.js';
import { storageError } from './storage-errors.js';

/**
 * The file behind the database, as the file system sees it: its folder and the file are created
 * private to the user (0700, 0600; SQLite gives the -wal and -shm files the database file's
 * mode), and the file's identity is kept so that a file deleted or replaced under a writer is
 * noticed instead of the writer carrying on into a file nobody will ever open again.
 */
export class DatabaseFile {
  private identity?: { dev: number; ino: number };
  private lost?: StorageError;

  private constructor(
    readonly path: string,
    /** True when the file does not exist yet and SQLite is about to create it. */
    private readonly creating: boolean,
  ) {}

  /** Before SQLite opens `path`: makes its folder (when `create`) and refuses a folder at the path. */
  static prepare(path: string, options: { create: boolean }): DatabaseFile {
    const dir = dirname(path);
    // Folders that exist are left as they are: only the ones made here are made private.
    if (options.create) mkdirSync(dir, { recursive: true, mode: 0o700 });
    else if (!existsSync(dir)) throw storageError('cannot_open', path, `the folder ${dir} does not exist`);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) throw storageError('is_directory', path, 'a folder');
    return new DatabaseFile(path, options.create && !stats);
  }

  /** SQLite has opened the file (and created it if it was missing). */
  opened(): void {
    // Before the first write creates the -wal and -shm files, which take this mode.
    if (this.creating) chmodSync(this.path, 0o600);
    const stats = statSync(this.path);
    this.identity = { dev: stats.dev, ino: stats.ino };
  }

  /**
   * Throws if the path no longer leads to the file that was opened. `contents` (the database
   * as the connection still sees it) is saved next to the path first, so nothing is lost.
   */
  checkIntact(contents: () => Buffer): void {
    if (this.lost) throw this.lost;
    if (!this.identity) return;
    let now: Stats | undefined;
    try {
      now = statSync(this.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A folder that became unreadable says nothing about the file: carry on.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return;
    }
    if (now && now.dev === this.identity.dev && now.ino === this.identity.ino) return;
    const how = now ? 'replaced by another file' : 'deleted';
    const saved = this.saveCopy(contents);
    const hint = saved
      ? `everything this process recorded is saved in ${saved}; to carry on with it, move it back (\`mv ${saved} ${this.path}\`)`
      : `what this process recorded since then is lost with the old file; check the broker's orders and positions (\`ptexec orders sync\`, \`ptexec positions\`) before trading again`;
    this.lost = new StorageError('replaced', this.path, `the database file ${this.path} was ${how} while ptexec was writing to it`, hint, undefined, { resumable: saved !== undefined });
    throw this.lost;
  }

  /** Writes `contents` next to the database (or, if its folder is gone, to the temporary folder). */
  private saveCopy(contents: () => Buffer): string | undefined {
    let data: Buffer;
    try {
      data = contents();
    } catch {
      return undefined;
    }
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    for (const dir of [dirname(this.path), tmpdir()]) {
      const target = join(dir, `${basename(this.path)}.rescued-${stamp}`);
      try {
        writeFileSync(target, data, { mode: 0o600, flag: 'wx' });
        return target;
      } catch {
        // try the next place
      }
    }
    return undefined;
  }
}
