import { DatabaseBusyError } from '../domain/errors/database-busy.js';
import type { Clock } from '../domain/clock.js';
import type { BusyPolicy } from './ports.js';

/** Without a policy from the caller: four pauses growing from half a second (plus the store's busy timeout per try). */
export const DEFAULT_BUSY_POLICY: BusyPolicy = { pauseBeforeRetry: (attempt) => (attempt <= 4 ? 500 * 2 ** (attempt - 1) : undefined) };

/**
 * Makes a write now and, while another process holds the database, again after each pause the
 * policy gives (the write never started, so making it again is safe). Synchronous when the
 * database is free, which is the common case. Throws the DatabaseBusyError once the policy gives
 * up, or once `signal` is aborted (a Ctrl-C or SIGTERM does not wait for the other writer).
 */
export function writeWhenFree<T>(write: () => T, clock: Clock, policy: BusyPolicy = DEFAULT_BUSY_POLICY, signal?: AbortSignal): T | Promise<T> {
  try {
    return write();
  } catch (err) {
    if (!(err instanceof DatabaseBusyError)) throw err;
    return retry(err, write, clock, policy, signal);
  }
}

async function retry<T>(busy: DatabaseBusyError, write: () => T, clock: Clock, policy: BusyPolicy, signal: AbortSignal | undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const pause = policy.pauseBeforeRetry(attempt);
    if (pause === undefined || signal?.aborted) throw busy;
    await clock.sleep(pause, signal);
    if (signal?.aborted) throw busy;
    try {
      return write();
    } catch (err) {
      if (!(err instanceof DatabaseBusyError)) throw err;
      busy = err;
    }
  }
}
