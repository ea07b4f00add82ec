import { hostname } from 'node:os';
import { isDatabaseBusy } from '../domain/errors/database-busy.js';
import { connectionOf } from './connection.js';
import type { Store } from './store.js';

export interface LockHolder {
  runId: string;
  pid: number;
  hostname: string;
  acquiredAt: number;
  /** The holder's last heartbeat (its acquisition for locks written before heartbeats existed). */
  heartbeatAt: number;
}

/** Whether a lock's holder counts as running, and if not, why (for the takeover message). */
export type LockState = { alive: true } | { alive: false; why: string };

/**
 * The holder writes a heartbeat every `heartbeatMs` (wall clock); a lock without one for
 * `staleAfterMs` is stale: its holder crashed on another host, was killed with its container, or
 * is frozen. Three missed beats, so a holder slowed by a busy database is not mistaken for gone.
 */
export interface LockTiming {
  heartbeatMs: number;
  staleAfterMs: number;
}

export const LOCK_TIMING: LockTiming = { heartbeatMs: 10_000, staleAfterMs: 30_000 };

export interface LockOptions {
  timing?: LockTiming;
  /** Wall-clock milliseconds (tests move it). */
  now?: () => number;
  /** A lock this process held was removed (`ptexec unlock`) or taken over: the holder must stop sending. */
  onLost?: (key: string, now: LockHolder | undefined) => void;
  /** A lock whose holder is gone was taken over. */
  onTakeover?: (key: string, from: LockHolder, why: string) => void;
}

type LockRow = { lock_key: string; run_id: string; pid: number; hostname: string; acquired_at: number; heartbeat_at: number | null };

/** Locks held by this process, per database file: a row with our pid that is not here was left by an earlier process. */
const heldHere = new Set<string>();

/**
 * One run at a time per broker account. The lock is a row in the database, so it is seen by
 * every process using the same file, and its holder keeps a heartbeat in it. A lock is taken
 * over, with a message naming the old holder, when its process no longer exists on this host,
 * when its pid is this process's own (an earlier process with a reused pid), or when its
 * heartbeat is stale (another host, a recreated container, a reused pid). A crashed run is then
 * resumed by the process that took the lock over.
 */
export class AccountLock {
  private readonly timing: LockTiming;
  private readonly now: () => number;
  private readonly db;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When each lock this object holds was last confirmed ours (acquired, or a heartbeat written). */
  private readonly confirmedAt = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly options: LockOptions = {},
  ) {
    this.db = connectionOf(store);
    this.timing = options.timing ?? LOCK_TIMING;
    this.now = options.now ?? Date.now;
  }

  /** Takes the lock (over a gone holder's) or returns who holds it. */
  acquire(key: string, runId: string): { ok: true; tookOver?: { holder: LockHolder; why: string } } | { ok: false; holder: LockHolder } {
    const now = this.now();
    const result = this.store.transaction(() => {
      const row = this.row(key);
      let tookOver: { holder: LockHolder; why: string } | undefined;
      if (row && !(row.run_id === runId && this.isOurs(row))) {
        const state = this.state(row, now);
        if (state.alive) return { ok: false as const, holder: toHolder(row) };
        tookOver = { holder: toHolder(row), why: state.why };
      }
      this.db
        .prepare('INSERT OR REPLACE INTO locks (lock_key, run_id, pid, hostname, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(key, runId, process.pid, hostname(), now, now);
      return { ok: true as const, ...(tookOver ? { tookOver } : {}) };
    });
    if (result.ok) {
      heldHere.add(this.id(key));
      this.startHeartbeat(key, runId);
      this.confirmedAt.set(key, now);
      if (result.tookOver) this.options.onTakeover?.(key, result.tookOver.holder, result.tookOver.why);
    }
    return result;
  }

  /** Who holds the lock, and whether that holder counts as running. */
  holder(key: string): (LockHolder & { state: LockState }) | undefined {
    const row = this.row(key);
    return row ? { ...toHolder(row), state: this.state(row, this.now()) } : undefined;
  }

  /** Every lock in the database, with its state. */
  list(): (LockHolder & { key: string; state: LockState })[] {
    const rows = this.db.prepare('SELECT * FROM locks ORDER BY lock_key').all() as LockRow[];
    const now = this.now();
    return rows.map((row) => ({ key: row.lock_key, ...toHolder(row), state: this.state(row, now) }));
  }

  /**
   * Until when no other process can take the locks this object holds over (their heartbeat is
   * fresh): a holder must not act on the account after that without confirming the lock is still
   * its own. Infinity when it holds none.
   */
  leaseEndsAt(): number {
    return Math.min(...[...this.confirmedAt.values()].map((at) => at + this.timing.staleAfterMs));
  }

  /** Whether this process holds the lock for `runId` now (a read: it may have been removed or taken over). */
  holds(key: string, runId: string): boolean {
    const row = this.row(key);
    return row !== undefined && row.run_id === runId && this.isOurs(row);
  }

  release(key: string, runId: string): void {
    this.stopHeartbeat(key);
    heldHere.delete(this.id(key));
    try {
      this.store.transaction(() => this.db.prepare('DELETE FROM locks WHERE lock_key = ? AND run_id = ? AND pid = ? AND hostname = ?').run(key, runId, process.pid, hostname()));
    } catch (err) {
      // Another writer holds the database: the row stays, and is taken over once this process is gone.
      if (!isDatabaseBusy(err)) throw err;
    }
  }

  /** Removes the lock `holder` holds (`ptexec unlock`); false when it changed hands meanwhile. */
  remove(key: string, holder: Pick<LockHolder, 'runId' | 'pid' | 'hostname'>): boolean {
    const { changes } = this.db.prepare('DELETE FROM locks WHERE lock_key = ? AND run_id = ? AND pid = ? AND hostname = ?').run(key, holder.runId, holder.pid, holder.hostname);
    return changes > 0;
  }

  /** Refreshes the heartbeat of a lock this process holds; notices when it was removed or taken over. */
  beat(key: string, runId: string): void {
    try {
      const now = this.now();
      const { changes } = this.db
        .prepare('UPDATE locks SET heartbeat_at = ? WHERE lock_key = ? AND run_id = ? AND pid = ? AND hostname = ?')
        .run(now, key, runId, process.pid, hostname());
      if (changes > 0) {
        this.confirmedAt.set(key, now);
        return;
      }
      this.stopHeartbeat(key);
      heldHere.delete(this.id(key));
      const row = this.row(key);
      this.options.onLost?.(key, row ? toHolder(row) : undefined);
    } catch (err) {
      // A busy database only delays this beat; a closed one means the process is finishing.
      if (!isDatabaseBusy(err)) this.stopHeartbeat(key);
    }
  }

  private startHeartbeat(key: string, runId: string): void {
    this.stopHeartbeat(key);
    // The wall clock (not a run's simulated one), and unref'd: it never keeps the process alive.
    const timer = setInterval(() => this.beat(key, runId), this.timing.heartbeatMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  private stopHeartbeat(key: string): void {
    clearInterval(this.timers.get(key));
    this.timers.delete(key);
    this.confirmedAt.delete(key);
  }

  private state(row: LockRow, now: number): LockState {
    const host = hostname();
    if (row.hostname === host && row.pid === process.pid) {
      return heldHere.has(this.id(row.lock_key)) ? { alive: true } : { alive: false, why: `left by an earlier process with this process's pid (${row.pid})` };
    }
    if (row.hostname === host && !processAlive(row.pid)) return { alive: false, why: `process ${row.pid} is no longer running` };
    const silent = now - (row.heartbeat_at ?? row.acquired_at);
    if (silent > this.timing.staleAfterMs) return { alive: false, why: `no heartbeat for ${Math.round(silent / 1000)} s` };
    return { alive: true };
  }

  private isOurs(row: LockRow): boolean {
    return row.hostname === hostname() && row.pid === process.pid;
  }

  private row(key: string): LockRow | undefined {
    return this.db.prepare('SELECT * FROM locks WHERE lock_key = ?').get(key) as LockRow | undefined;
  }

  private id(key: string): string {
    return `${this.db.name}\u0000${key}`;
  }
}

/** How a lock holder is named in messages. */
export function describeHolder(holder: Pick<LockHolder, 'runId' | 'pid' | 'hostname'>): string {
  return `run ${holder.runId} (pid ${holder.pid} on ${holder.hostname})`;
}

function toHolder(row: LockRow): LockHolder {
  return { runId: row.run_id, pid: row.pid, hostname: row.hostname, acquiredAt: row.acquired_at, heartbeatAt: row.heartbeat_at ?? row.acquired_at };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
