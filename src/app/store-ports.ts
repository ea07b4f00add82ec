import type { AccountLocks, RunDirectory } from '../engine/ports.js';
import { AccountLock, type LockOptions } from '../store/account-lock.js';
import { runsLeavingWorkingOrders } from '../store/left-working-queries.js';
import { getRun } from '../store/queries.js';
import type { Store } from '../store/store.js';

/** The engine's persistence ports, over the SQLite store. `lock` says what a takeover or a lost lock means to the caller. */
export function storePorts(store: Store, lock: LockOptions = {}): { runs: RunDirectory; locks: AccountLocks; leaseEndsAt: () => number } {
  const locks = new AccountLock(store, lock);
  return {
    runs: {
      runStatus(runId) {
        const row = getRun(store, runId);
        return row ? { status: row.status, dryRun: row.dry_run === 1 } : undefined;
      },
      runsLeavingWorkingOrders: (broker, account) => runsLeavingWorkingOrders(store, broker, account),
    },
    locks: { acquire: (key, runId) => locks.acquire(key, runId), release: (key, runId) => locks.release(key, runId), holds: (key, runId) => locks.holds(key, runId) },
    leaseEndsAt: () => locks.leaseEndsAt(),
  };
}
