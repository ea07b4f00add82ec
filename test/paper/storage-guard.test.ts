import { describe, expect, it } from 'vitest';
import { StorageGuard, type GuardedRecords } from '../../src/brokers/paper/storage-guard.js';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { VirtualClock } from '../../src/engine/clock/index.js';

/** Paper tables in memory: a version, a write counter, and a transaction that fails as told. */
function fakeRecords() {
  const state = { version: 0, notedAt: [] as number[], failWith: undefined as { code: string; message: string } | undefined };
  const records: GuardedRecords & { state: typeof state } = {
    state,
    writes: 0,
    version: () => state.version,
    bumpVersion: () => ++state.version,
    noteMarketTime: (ts) => void state.notedAt.push(ts),
    transaction: <T>(fn: () => T): T => {
      if (state.failWith) throw Object.assign(new Error(state.failWith.message), { code: state.failWith.code });
      return fn();
    },
  };
  return records;
}

function guarded() {
  const records = fakeRecords();
  const calls = { reload: 0, stopped: 0 };
  const guard = new StorageGuard(records, new VirtualClock(1_000), { reload: () => calls.reload++, stopped: () => calls.stopped++ });
  return { records, guard, calls };
}

const attempt = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe('the paper broker’s storage guard', () => {
  it('reloads only when another writer moved the version, and marks its own changes without reloading', () => {
    const { records, guard, calls } = guarded();
    guard.sync();
    guard.sync();
    expect(calls.reload).toBe(1);
    guard.write(() => records.writes++);
    guard.write(() => 'a read changes nothing');
    guard.sync();
    expect({ reloads: calls.reload, version: records.state.version, notedAt: records.state.notedAt }).toEqual({ reloads: 1, version: 1, notedAt: [1_000] });
    records.state.version = 7;
    guard.sync();
    expect(calls.reload).toBe(2);
  });

  it('answers a busy database with a retryable "unavailable" and goes on; a full disk stops the market for good', () => {
    const { records, guard, calls } = guarded();
    records.state.failWith = { code: 'SQLITE_BUSY', message: 'database is locked' };
    const busy = attempt(() => guard.write(() => records.writes++));
    expect(busy).toMatchObject({ kind: 'unavailable', details: { code: 'database_busy' } });
    expect(guard.isDown).toBe(false);

    records.state.failWith = { code: 'SQLITE_FULL', message: 'database or disk is full' };
    const full = attempt(() => guard.write(() => records.writes++));
    expect(full).toMatchObject({ kind: 'unavailable', message: 'the paper market stopped: it could not save its state (database or disk is full)' });
    expect({ down: guard.isDown, stopped: calls.stopped }).toEqual({ down: true, stopped: 1 });

    // Even with the disk back, nothing more is written through this instance.
    records.state.failWith = undefined;
    let ran = false;
    expect(isBrokerError(attempt(() => guard.write(() => (ran = true))), 'unavailable')).toBe(true);
    expect({ ran, stopped: calls.stopped }).toEqual({ ran: false, stopped: 1 });
  });

  it('lets a mistake that is not the storage’s (a constraint, a bug) through without stopping the market', () => {
    const { records, guard, calls } = guarded();
    records.state.failWith = { code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: 'UNIQUE constraint failed' };
    expect(attempt(() => guard.write(() => records.writes++))).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect({ down: guard.isDown, stopped: calls.stopped }).toEqual({ down: false, stopped: 0 });
  });
});
