import { FELL_SHORT_RUN, UNFINISHED_RUN } from '../domain/run-status.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { refuseWhileHalted } from '../engine/risk/halted.js';
import { ExitCode } from '../lib/exit-codes.js';
import { AccountLock } from '../store/account-lock.js';
import { listRuns, type RunRow } from '../store/queries.js';
import type { Store } from '../store/store.js';
import type { CommandResult } from './command-result.js';
import type { RebalanceService } from '../engine/rebalance/rebalance-service.js';
import type { Factory } from './factory.js';
import { runNamed } from './named-inputs.js';
import { runResult } from './rebalance-command-service.js';
import { lockedError, runState, tradeWhatIsLeft } from './run-conflicts.js';
import { requestControl } from './run-control.js';
import { RunDisplay } from './run-display.js';
import { notifyRunOutcome } from './run-notifications.js';

/** What a recorded run was started with (never secrets). */
export interface RunOptions {
  seed?: number | null;
  risk_file?: string | null;
}

/** `ptexec resume`: continue an unfinished run in this process, or un-pause a leg of a live one. */
export async function resumeRun(f: Factory, input: { runArg?: string; flags: { leg?: number; speed?: string; yes: boolean; 'no-ui'?: boolean } }): Promise<CommandResult> {
  const { io } = f;
  const { flags } = input;
  const store = f.store();
  const run = pickRun(store, input.runArg, { explainFinished: true });
  refuseWhileHalted(f.killSwitch(), `run ${run.run_id} was not resumed and is unchanged`, `\`ptexec resume ${run.run_id}\``);
  if (flags.leg !== undefined) {
    requestControl(store, run, 'resume', flags.leg);
    io.info(`asked run ${run.run_id} to resume leg ${flags.leg}`);
    return { exitCode: ExitCode.ok, json: { run_id: run.run_id, action: 'resume', leg: flags.leg } };
  }
  const holder = new AccountLock(store).holder(`${run.broker}:${run.account}`);
  if (holder?.runId === run.run_id && holder.state.alive) {
    // The run is live in another process (its heartbeat is fresh): ask it to continue instead of
    // taking it over. A holder not heard from is taken over below, and the run continues here.
    requestControl(store, run, 'resume');
    io.info(`run ${run.run_id} is running in process ${holder.pid} on ${holder.hostname}; asked it to resume`);
    return { exitCode: ExitCode.ok, json: { run_id: run.run_id, action: 'resume', leg: null } };
  }
  if (!UNFINISHED_RUN.has(run.status)) throw new InvalidInputError(`run ${run.run_id} finished ${runState(store, run)}; only an unfinished run can be resumed`, tradeWhatIsLeft(run));
  if (!(await f.brokerTraits(run.broker)).simulatedMarket && !flags.yes && !io.interactive) {
    throw new InvalidInputError(`refusing to resume run ${run.run_id} on ${run.broker} without confirmation: there is no terminal to ask`, 'add --yes');
  }
  return continueHere(f, run, flags);
}

/** Opens the run's broker as the run opened it (same simulated-market seed, same risk file) and works the run to its end. */
async function continueHere(f: Factory, run: RunRow, flags: { speed?: string; 'no-ui'?: boolean }): Promise<CommandResult> {
  const options = JSON.parse(run.options) as RunOptions;
  // The run's own account: a paper market holds many, and a real broker's session must still be the one the run traded.
  const wiring = { brokerId: run.broker, account: run.account, speed: flags.speed, seed: options.seed ?? undefined, riskFile: options.risk_file ?? undefined };
  const driven = await f.clock(run.broker, flags.speed);
  await f.risk(wiring.riskFile);
  const broker = await f.broker(run.broker, wiring);
  const interrupt = f.io.interruptOnSignals();
  const display = await RunDisplay.open(f.io, { noUi: flags['no-ui'] ?? false });
  let service: RebalanceService | undefined;
  try {
    service = await f.runService({ ...wiring, interrupt, display });
    f.io.info(`resuming run ${run.run_id} (${run.status})`);
    const outcome = await display.around(() => driven.drive(service!.resume(run.run_id)), { store: f.store(), runId: () => run.run_id, stop: interrupt.abort });
    if ('kind' in outcome) throw lockedError(f.store(), `${broker.id}:${broker.account}`, outcome.holder, run.run_id);
    await notifyRunOutcome(f, run.run_id, broker, outcome);
    return runResult(f.io, run.run_id, broker, outcome, false);
  } finally {
    service?.release();
    interrupt.dispose();
  }
}

/** `explainFinished`: with no unfinished run, say how to go on from the latest run if it fell short. */
export function pickRun(store: Store, arg: string | undefined, options: { explainFinished?: boolean } = {}): RunRow {
  if (arg) return runNamed(store, arg);
  const runs = listRuns(store, { limit: 50 });
  const unfinished = runs.find((r) => UNFINISHED_RUN.has(r.status));
  if (unfinished) return unfinished;
  const latest = runs[0];
  if (options.explainFinished && latest && FELL_SHORT_RUN.has(latest.status)) throw new InvalidInputError(`no unfinished run: the latest, ${latest.run_id}, finished ${runState(store, latest)}`, tradeWhatIsLeft(latest));
  throw new InvalidInputError('no unfinished run', 'list runs with `ptexec runs list`');
}
