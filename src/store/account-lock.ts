import { hostname } from 'node:os';
import type { Store } from './store.js';

export interface LockHolder {
  runId: string;
  pid: number;
  hostname: string;
  acquiredAt: number;
}

/**
 * One run at a time per broker account. The lock is a row in the database, so it is seen by
 * every process using the same file. A lock left by a process that no longer exists on this host
 * is taken over (that is a crash, and the new process resumes it).
 */
export class AccountLock {
  constructor(private readonly store: Store) {}

  /** Takes the lock or returns who holds it. */
  acquire(key: string, runId: string): { ok: true } | { ok: false; holder: LockHolder } {
    const db = this.store.db;
    return this.store.transaction(() => {
      const row = db.prepare('SELECT run_id, pid, hostname, acquired_at FROM locks WHERE lock_key = ?').get(key) as
        | { run_id: string; pid: number; hostname: string; acquired_at: number }
        | undefined;
      if (row && !(row.hostname === hostname() && !processAlive(row.pid)) && !(row.pid === process.pid && row.run_id === runId)) {
        return { ok: false as const, holder: { runId: row.run_id, pid: row.pid, hostname: row.hostname, acquiredAt: row.acquired_at } };
      }
      db.prepare('INSERT OR REPLACE INTO locks (lock_key, run_id, pid, hostname, acquired_at) VALUES (?, ?, ?, ?, ?)').run(key, runId, process.pid, hostname(), Date.now());
      return { ok: true as const };
    });
  }

  /** Who holds the lock now, if a live process does. */
  holder(key: string): LockHolder | undefined {
    const row = this.store.db.prepare('SELECT run_id, pid, hostname, acquired_at FROM locks WHERE lock_key = ?').get(key) as
      | { run_id: string; pid: number; hostname: string; acquired_at: number }
      | undefined;
    if (!row || (row.hostname === hostname() && !processAlive(row.pid))) return undefined;
    return { runId: row.run_id, pid: row.pid, hostname: row.hostname, acquiredAt: row.acquired_at };
  }

  release(key: string, runId: string): void {
    this.store.transaction(() => this.store.db.prepare('DELETE FROM locks WHERE lock_key = ? AND run_id = ? AND pid = ?').run(key, runId, process.pid));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
