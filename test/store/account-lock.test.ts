import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountLock, type LockHolder } from '../../src/store/account-lock.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { connectionOf } from '../../src/store/connection.js';

const dirs: string[] = [];
const stores: Store[] = [];
function open(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-lock-'));
  dirs.push(dir);
  const store = openDatabase(join(dir, 'test.db'));
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 0, 5, 4, 0, 0);
const timing = { heartbeatMs: 10_000, staleAfterMs: 30_000 };

function insert(store: Store, row: { run: string; pid: number; host: string; heartbeat: number | null; acquired?: number }): void {
  connectionOf(store)
    .prepare('INSERT INTO locks (lock_key, run_id, pid, hostname, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run('paper:A', row.run, row.pid, row.host, row.acquired ?? row.heartbeat ?? T0, row.heartbeat);
}

/** A lock on a clock the test moves, recording takeovers and losses. */
function lockAt(store: Store, clock: { now: number }) {
  const events: string[] = [];
  const lock = new AccountLock(store, {
    timing,
    now: () => clock.now,
    onTakeover: (key, from, why) => events.push(`took ${key} from ${from.runId}@${from.hostname}: ${why}`),
    onLost: (key, now?: LockHolder) => events.push(`lost ${key} to ${now ? now.runId : 'nobody'}`),
  });
  return { lock, events };
}

describe('account lock heartbeat and takeover', () => {
  it('a lock from another host is held while its heartbeat is fresh and taken over, with a message, once stale', () => {
    const store = open();
    const clock = { now: T0 };
    insert(store, { run: 'old', pid: 4242, host: 'recreated-container', heartbeat: T0 });
    const { lock, events } = lockAt(store, clock);
    clock.now = T0 + 30_000;
    expect(lock.acquire('paper:A', 'new')).toMatchObject({ ok: false, holder: { runId: 'old', hostname: 'recreated-container' } });
    expect(lock.holder('paper:A')?.state).toEqual({ alive: true });
    clock.now = T0 + 30_001;
    expect(lock.holder('paper:A')?.state).toEqual({ alive: false, why: 'no heartbeat for 30 s' });
    expect(lock.acquire('paper:A', 'new').ok).toBe(true);
    expect(events).toEqual(['took paper:A from old@recreated-container: no heartbeat for 30 s']);
    expect(lock.holder('paper:A')).toMatchObject({ runId: 'new', pid: process.pid, hostname: hostname(), heartbeatAt: T0 + 30_001 });
    lock.release('paper:A', 'new');
  });

  it('a live pid on this host with a stale heartbeat is a reused pid: taken over; a lock with our own pid that we do not hold is taken at once', () => {
    const store = open();
    const clock = { now: T0 };
    // The parent of this process is alive: as far as the pid goes, it could be the holder.
    insert(store, { run: 'old', pid: process.ppid, host: hostname(), heartbeat: null, acquired: T0 });
    const { lock, events } = lockAt(store, clock);
    expect(lock.acquire('paper:A', 'new').ok).toBe(false);
    clock.now = T0 + 60_000;
    expect(lock.acquire('paper:A', 'new').ok).toBe(true);
    lock.release('paper:A', 'new');

    insert(store, { run: 'earlier', pid: process.pid, host: hostname(), heartbeat: clock.now });
    expect(lock.acquire('paper:A', 'next').ok).toBe(true);
    expect(events).toEqual(['took paper:A from old@' + hostname() + ': no heartbeat for 60 s', `took paper:A from earlier@${hostname()}: left by an earlier process with this process's pid (${process.pid})`]);
    lock.release('paper:A', 'next');
  });

  it('the holder refreshes its heartbeat and learns when its lock was taken over or removed', () => {
    const store = open();
    const clock = { now: T0 };
    const { lock, events } = lockAt(store, clock);
    expect(lock.leaseEndsAt()).toBe(Infinity);
    expect(lock.acquire('paper:A', 'r1').ok).toBe(true);
    expect(lock.leaseEndsAt()).toBe(T0 + 30_000);
    clock.now = T0 + 25_000;
    lock.beat('paper:A', 'r1');
    expect(lock.holder('paper:A')?.heartbeatAt).toBe(T0 + 25_000);
    expect(lock.leaseEndsAt()).toBe(T0 + 55_000);
    // Another process decided it was stale and took it.
    connectionOf(store).prepare("UPDATE locks SET run_id = 'r2', pid = 4242, hostname = 'elsewhere'").run();
    lock.beat('paper:A', 'r1');
    expect(events).toEqual(['lost paper:A to r2']);
    expect(lock.leaseEndsAt()).toBe(Infinity);

    expect(lock.acquire('paper:B', 'r3').ok).toBe(true);
    const holder = lock.holder('paper:B')!;
    expect(new AccountLock(store).remove('paper:B', holder)).toBe(true);
    lock.beat('paper:B', 'r3');
    expect(events).toEqual(['lost paper:A to r2', 'lost paper:B to nobody']);
  });
});
