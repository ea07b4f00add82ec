import type { AccountLocks, RunDirectory } from '../engine/ports.js';
import { AccountLock } from '../store/account-lock.js';
import { runsLeavingWorkingOrders } from '../store/left-working-queries.js';
import { getRun } from '../store/queries.js';
import type { Store } from '../store/store.js';

/** The engine's persistence ports, over the SQLite store. */
export function storePorts(store: Store): { runs: RunDirectory; locks: AccountLocks } {
  const lock = new AccountLock(store);
  return {
    runs: {
      runStatus(runId) {
        const row = getRun(store, runId);
        return row ? { status: row.status, dryRun: row.dry_run === 1 } : undefined;
      },
      runsLeavingWorkingOrders: (broker, account) => runsLeavingWorkingOrders(store, broker, account),
    },
    locks: { acquire: (key, runId) => lock.acquire(key, runId), release: (key, runId) => lock.release(key, runId) },
  };
}
