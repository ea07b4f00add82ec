import type { RunOutcome } from '../engine/runtime/execution-runtime.js';
import { ConflictError } from '../domain/errors/conflict-error.js';
import type { Output } from '../lib/output.js';
import { describeHolder } from '../store/account-lock.js';
import type { RunRow } from '../store/queries.js';
import type { Store } from '../store/store.js';
import { interruptOnSignals } from './interrupt.js';
import { postTradeHooks } from './post-trade-services.js';
import { riskConfigFor } from './risk-services.js';
import { runContext } from './run-broker.js';
import { RunDisplay } from './run-display.js';
import { runServiceFor } from './run-service.js';

/**
 * Opens the broker of a run no process is executing, takes its account lock, and cancels there
 * the orders the run left open (RebalanceService.cancelStopped): `ptexec cancel` of a stopped
 * run, and the kill switch with no engine running. The caller reports the result.
 */
export async function cancelStoppedRun(ctx: {
  store: Store;
  run: RunRow;
  out: Output;
  by: string;
  leg?: number;
  endLegs: boolean;
  reason: string;
}): Promise<{ outcome: RunOutcome; stillOpen: string[] }> {
  const { store, run, out } = ctx;
  const { config, driven, openBroker } = runContext(store, run);
  // Nothing is sent, so the run's own risk file (which may be gone by now) is not needed.
  const riskConfig = riskConfigFor(config, undefined);
  const broker = await openBroker();
  const interrupt = interruptOnSignals(out);
  // Progress lines would show the run's totals from this process's events alone: the caller says what ended instead.
  const display = new RunDisplay(out, { json: true, noUi: true });
  const service = await runServiceFor({ store, broker, clock: driven.clock, riskConfig, signal: interrupt.signal, stop: interrupt.abort, out, display, afterFills: postTradeHooks(store, config, run.broker).afterFills });
  try {
    const result = await driven.drive(service.cancelStopped(run.run_id, { by: ctx.by, leg: ctx.leg, endLegs: ctx.endLegs, reason: ctx.reason }));
    if ('kind' in result) throw new ConflictError(`account ${broker.id}:${broker.account} is locked by ${describeHolder(result.holder)}; nothing was cancelled`, 'wait for it to finish; a running engine cancels its own orders (`ptexec cancel` or `ptexec halt --cancel-open`)');
    return result;
  } finally {
    service.release();
    interrupt.dispose();
    await broker.close();
  }
}
