import type { AccountLocks, RunDirectory } from '../../engine/ports.js';
import { AccountLock, type LockOptions } from '../../store/account-lock.js';
import { runsLeavingWorkingOrders } from '../../store/left-working-queries.js';
import { getRun } from '../../store/queries.js';
import type { Store } from '../../store/store.js';

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

/**
 * Failure injection for the recovery tests: `PTEXEC_FAILPOINT=order-intent-recorded:3` kills the
 * process (SIGKILL, no clean-up) the third time the runtime passes that point;
 * `…:3:disk-full` makes the disk full there instead. Unset, it costs nothing.
 */
export function failpointFromEnv(env: NodeJS.ProcessEnv, store: Store): ((name: string) => void) | undefined {
  const spec = env.PTEXEC_FAILPOINT;
  if (!spec) return undefined;
  const [target, nth, action = 'kill'] = spec.split(':');
  const at = Number(nth ?? '1');
  let seen = 0;
  return (name) => {
    if (name !== target) return;
    seen += 1;
    if (seen !== at) return;
    if (action === 'disk-full') store.stopGrowing();
    else process.kill(process.pid, 'SIGKILL');
  };
}
