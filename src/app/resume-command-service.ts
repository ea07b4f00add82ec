import { runServiceFor } from './run-service.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { ExitCode, type ExitCodeValue } from '../lib/exit-codes.js';
import type { Output } from '../lib/output.js';
import { AccountLock } from '../store/account-lock.js';
import { listRuns, type RunRow } from '../store/queries.js';
import { runNamed } from './named-inputs.js';
import type { Store } from '../store/store.js';
import { interruptOnSignals } from './interrupt.js';
import { RunDisplay } from './run-display.js';
import { runContext } from './run-broker.js';
import { outcomeExitCode, renderOutcome, runResultJson } from './render/run-result.js';
import { lockedError, runState, tradeWhatIsLeft } from './run-conflicts.js';
import { requestControl } from './run-control.js';
import { refuseWhileHalted, riskConfigFor } from './risk-services.js';
import { postTradeHooks } from './post-trade-services.js';

const RESUMABLE = new Set(['planned', 'running', 'paused', 'interrupted']);

/** `ptexec resume`: continue an unfinished run in this process, or un-pause a leg of a live one. */
export async function resumeRun(ctx: { runArg?: string; flags: { leg?: number; speed?: string; yes: boolean; 'no-ui'?: boolean }; out: Output; store: Store; json: boolean }): Promise<{ exitCode: ExitCodeValue; json: unknown }> {
  const { out, store, flags } = ctx;
  const run = pickRun(store, ctx.runArg, { explainFinished: true });
  refuseWhileHalted(store, `run ${run.run_id} was not resumed and is unchanged`, `\`ptexec resume ${run.run_id}\``);
  if (flags.leg !== undefined) {
    requestControl(store, run, 'resume', flags.leg);
    out.info(`asked run ${run.run_id} to resume leg ${flags.leg}`);
    return { exitCode: ExitCode.ok, json: { run_id: run.run_id, action: 'resume', leg: flags.leg } };
  }
  const holder = new AccountLock(store).holder(`${run.broker}:${run.account}`);
  if (holder?.runId === run.run_id && holder.state.alive) {
    // The run is live in another process (its heartbeat is fresh): ask it to continue instead of
    // taking it over. A holder not heard from is taken over below, and the run continues here.
    requestControl(store, run, 'resume');
    out.info(`run ${run.run_id} is running in process ${holder.pid} on ${holder.hostname}; asked it to resume`);
    return { exitCode: ExitCode.ok, json: { run_id: run.run_id, action: 'resume', leg: null } };
  }
  if (!RESUMABLE.has(run.status)) throw new InvalidInputError(`run ${run.run_id} finished ${runState(store, run)}; only an unfinished run can be resumed`, tradeWhatIsLeft(run));
  if (run.broker !== 'paper' && !flags.yes && !(process.stdin.isTTY && process.stderr.isTTY)) {
    throw new InvalidInputError(`refusing to resume run ${run.run_id} on ${run.broker} without confirmation: there is no terminal to ask`, 'add --yes');
  }
  const { config, driven, options, openBroker } = runContext(store, run, flags.speed);
  const riskConfig = riskConfigFor(config, options.risk_file ?? undefined);
  const broker = await openBroker();
  const interrupt = interruptOnSignals(out);
  const display = new RunDisplay(out, { json: ctx.json, noUi: flags['no-ui'] ?? false });
  const service = await runServiceFor({
    store,
    broker,
    clock: driven.clock,
    riskConfig,
    signal: interrupt.signal,
    stop: interrupt.abort,
    out,
    display,
    afterFills: postTradeHooks(store, config, run.broker).afterFills,
  });
  try {
    out.info(`resuming run ${run.run_id} (${run.status})`);
    const outcome = await display.around(() => driven.drive(service.resume(run.run_id)), { store, runId: () => run.run_id, stop: interrupt.abort });
    if ('kind' in outcome) throw lockedError(store, `${broker.id}:${broker.account}`, outcome.holder, run.run_id);
    if (!ctx.json) renderOutcome(out, run.run_id, outcome);
    if (outcome.status === 'interrupted') out.info(`state saved; continue with \`ptexec resume ${run.run_id}\``);
    const { status, reason, legs, blocked, skipped, notes } = outcome;
    return { exitCode: outcomeExitCode(status), json: runResultJson({ runId: run.run_id, broker: broker.id, account: broker.account, status, reason, legs, blocked, skipped, notes }) };
  } finally {
    service.release();
    interrupt.dispose();
    await broker.close();
  }
}

/** `explainFinished`: with no unfinished run, say how to go on from the latest run if it fell short. */
export function pickRun(store: Store, arg: string | undefined, options: { explainFinished?: boolean } = {}): RunRow {
  if (arg) return runNamed(store, arg);
  const runs = listRuns(store, { limit: 50 });
  const unfinished = runs.find((r) => RESUMABLE.has(r.status));
  if (unfinished) return unfinished;
  const latest = runs[0];
  if (options.explainFinished && latest && ['incomplete', 'partial', 'failed'].includes(latest.status)) throw new InvalidInputError(`no unfinished run: the latest, ${latest.run_id}, finished ${runState(store, latest)}`, tradeWhatIsLeft(latest));
  throw new InvalidInputError('no unfinished run', 'list runs with `ptexec runs list`');
}
