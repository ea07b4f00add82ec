import { ConflictError } from '../domain/errors/conflict-error.js';
import type { RunOutcome } from '../engine/runtime/execution-runtime.js';
import { describeHolder } from '../store/account-lock.js';
import type { RunRow } from '../store/queries.js';
import type { RebalanceService } from '../engine/rebalance/rebalance-service.js';
import type { Factory } from './factory.js';
import type { RunOptions } from './resume-command-service.js';
import { RunDisplay } from './run-display.js';

/**
 * Opens the broker of a run no process is executing, takes its account lock, and cancels there
 * the orders the run left open (RebalanceService.cancelStopped): `ptexec cancel` of a stopped
 * run, and the kill switch with no engine running. The caller reports the result.
 */
export async function cancelStoppedRun(
  f: Factory,
  ctx: { run: RunRow; by: string; leg?: number; endLegs: boolean; reason: string },
): Promise<{ outcome: RunOutcome; stillOpen: string[] }> {
  const { run } = ctx;
  const options = JSON.parse(run.options) as RunOptions;
  const seed = options.seed ?? undefined;
  const driven = await f.clock(run.broker);
  // Nothing is sent, so the run's own risk file (which may be gone by now) is not needed.
  await f.risk();
  // The run's own account (a paper market holds many; a real session must still be that account).
  const broker = await f.broker(run.broker, { seed, account: run.account });
  const interrupt = f.io.interruptOnSignals();
  // Progress lines would show the run's totals from this process's events alone: the caller says what ended instead.
  const display = new RunDisplay(f.io, { noUi: true, quiet: true });
  let service: RebalanceService | undefined;
  try {
    service = await f.runService({ brokerId: run.broker, account: run.account, seed, interrupt, display });
    const result = await driven.drive(service.cancelStopped(run.run_id, { by: ctx.by, leg: ctx.leg, endLegs: ctx.endLegs, reason: ctx.reason }));
    if ('kind' in result) throw new ConflictError(`account ${broker.id}:${broker.account} is locked by ${describeHolder(result.holder)}; nothing was cancelled`, 'wait for it to finish; a running engine cancels its own orders (`ptexec cancel` or `ptexec halt --cancel-open`)');
    return result;
  } finally {
    service?.release();
    interrupt.dispose();
  }
}
