import { userInfo } from 'node:os';
import type { RunControlRequested } from '../domain/events/index.js';
import { STEERABLE_RUN } from '../domain/run-status.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { hasLeg, type RunState } from '../store/queries.js';
import type { Store } from '../store/store.js';

/**
 * Pause, resume or cancel a run (or one leg) from any process: the request is an event; the
 * process executing the run reads it within a poll interval and acts.
 */
export function requestControl(store: Store, run: Pick<RunState, 'run_id' | 'status'>, action: RunControlRequested['payload']['action'], leg?: number): void {
  if (!STEERABLE_RUN.has(run.status)) throw new InvalidInputError(`run ${run.run_id} is ${run.status}, not running`, 'list runs with `ptexec runs list`');
  if (leg !== undefined) {
    if (!hasLeg(store, run.run_id, leg)) throw new InvalidInputError(`run ${run.run_id} has no leg ${leg}`, `see the legs with \`ptexec runs show ${run.run_id}\``);
  }
  let by = 'cli';
  try {
    by = `cli:${userInfo().username}`;
  } catch {
    // No user name (containers): "cli" is enough for the audit trail.
  }
  const payload: RunControlRequested['payload'] = { action, by, ...(leg === undefined ? {} : { leg }) };
  store.append({ runId: run.run_id, type: 'run.control', payload });
}
