import type { LockHolder } from '../store/account-lock.js';
import { ConflictError } from '../domain/errors/conflict-error.js';
import { getRun, runProgress, type RunRow } from '../store/queries.js';
import type { Store } from '../store/store.js';

/**
 * The messages for a target that cannot run now (exit 6): each names the run, its state, how
 * far it got, and the one command that goes on from there.
 */

/** "incomplete: 1 of 2 legs done, 1 left (NSE:ITC)". */
export function runState(store: Store, run: RunRow): string {
  const p = runProgress(store, run);
  const names = p.left.slice(0, 5).join(', ') + (p.left.length > 5 ? `, and ${p.left.length - 5} more` : '');
  return `${run.status}: ${p.done} of ${p.total} leg${p.total === 1 ? '' : 's'} done${p.left.length ? `, ${p.left.length} left (${names})` : ''}`;
}

/**
 * What continues a run that finished without reaching its target. It is not resumed: its legs
 * ended (rejected, expired, cancelled, blocked, or dropped for cash) and holdings and prices have
 * moved since its plan, so a new run plans what is left from the account as it is now.
 */
export function tradeWhatIsLeft(run: RunRow, file = run.source === '<stdin>' ? '-' : run.source): string {
  return `trade what is left with \`ptexec rebalance ${file} --new-run\` (a new plan from the current holdings); \`ptexec runs show ${run.run_id}\` shows this one`;
}

/** The same target already ran today and finished: nothing is sent. */
export function existingRunError(store: Store, runId: string, broker: string, file: string): ConflictError {
  const run = getRun(store, runId)!;
  if (run.status === 'completed') {
    return new ConflictError(`run ${runId} already ran this target on ${broker} today (${runState(store, run)}); nothing was sent`, `see it with \`ptexec runs show ${runId}\`, or trade again with --new-run`);
  }
  return new ConflictError(`run ${runId} already ran this target on ${broker} today and finished ${runState(store, run)}; nothing was sent`, tradeWhatIsLeft(run, file));
}

/** Another live process holds the account: this target's own run, or another one. */
export function lockedError(store: Store, account: string, holder: Pick<LockHolder, 'runId' | 'pid' | 'hostname'>, ownRunId: string): ConflictError {
  const run = getRun(store, holder.runId);
  const where = `pid ${holder.pid} on ${holder.hostname}; ${run ? runState(store, run) : 'starting'}`;
  const watch = `\`ptexec watch ${holder.runId}\``;
  if (holder.runId === ownRunId) return new ConflictError(`run ${holder.runId} for this target is being executed by another process (${where}); nothing was sent`, `watch it with ${watch}`);
  return new ConflictError(`account ${account} is locked by run ${holder.runId} (${where}); nothing was sent`, `wait for it to finish, or watch it with ${watch}; if its process is gone for good, \`ptexec unlock ${account}\``);
}
