import type { BusyPolicy } from '../engine/ports.js';
import { BUSY_TIMEOUT_MS } from '../store/store.js';

/** Tries at most, when this process holds no account lock to bound the wait. */
const MAX_ATTEMPTS = 8;

/**
 * How a run waits for another process that holds the database: pauses growing from a quarter of
 * a second to 4 s, while its account lock cannot yet look stale to another process (see
 * AccountLock.leaseEndsAt). A run that wrote on after that could trade beside the process that
 * took its lock over, so it stops first: about 15 to 25 s of waiting with the default lock
 * timing. Each try itself waits up to the store's busy timeout.
 */
export function busyPolicy(leaseEndsAt: () => number, now: () => number = Date.now): BusyPolicy {
  return {
    pauseBeforeRetry(attempt) {
      if (attempt > MAX_ATTEMPTS) return undefined;
      const pause = Math.min(250 * 2 ** (attempt - 1), 4_000);
      return now() + pause + BUSY_TIMEOUT_MS < leaseEndsAt() ? pause : undefined;
    },
  };
}
