import { describeError } from '../lib/errors.js';
import { ExitCode, type ExitCodeValue } from '../lib/exit-codes.js';
import { AccountLock, describeHolder } from '../store/account-lock.js';
import { unfinishedRunsWithLiveOrders } from '../store/left-working-queries.js';
import { getRun } from '../store/queries.js';
import { currentActor } from '../store/risk-queries.js';
import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import { killSwitch as killSwitchMessage } from './notify/messages.js';
import { notify } from './run-notifications.js';
import { cancelStoppedRun } from './stopped-run-cancel.js';

/**
 * `ptexec halt`: records the kill switch. With `--cancel-open`, a running engine cancels its own
 * open orders (it notices within its poll interval); the open orders of unfinished runs that no
 * process is executing are cancelled here, at their brokers. Those runs stay `interrupted`, as a
 * halted engine leaves its run: `ptexec resume` continues them after `ptexec unhalt`.
 */
export async function haltTrading(f: Factory, ctx: { reason?: string; cancelOpen: boolean }): Promise<CommandResult> {
  const out = f.io;
  const killSwitch = f.killSwitch();
  const before = killSwitch.isHalted();
  // Halting again keeps what an earlier halt asked for unless this one says more.
  const reason = ctx.reason?.trim() || (before.halted ? before.reason : undefined) || null;
  const state = killSwitch.halt(reason, ctx.cancelOpen || (before.halted && before.cancelOpen));
  const at = new Date(state.at ?? Date.now()).toISOString();
  out.info(
    `${before.halted ? 'trading was already halted; halt updated' : 'trading halted'} at ${at}${state.reason ? `: ${state.reason}` : ''}` +
      `${state.cancelOpen ? '; running engines cancel their open orders' : ''}. \`ptexec unhalt\` lifts it.`,
  );
  const json = { halted: state.halted, reason: state.reason ?? null, at, cancel_open: state.cancelOpen };
  if (!before.halted) await notify(f, () => killSwitchMessage(true, state.reason ?? null, at));
  if (!ctx.cancelOpen) return { exitCode: ExitCode.ok, json };
  const stopped = await cancelStoppedRuns(f);
  return { exitCode: stopped.exitCode, json: { ...json, stopped_runs: stopped.runs } };
}

type StoppedRunResult = { run_id: string; broker: string; account: string; result: 'cancelled' | 'running' | 'skipped' | 'failed'; still_open: string[]; message: string | null };

/** Cancels the open orders of every unfinished run no process is executing. */
async function cancelStoppedRuns(f: Factory): Promise<{ exitCode: ExitCodeValue; runs: StoppedRunResult[] }> {
  const out = f.io;
  const store = f.store();
  const lock = new AccountLock(store);
  const runs: StoppedRunResult[] = [];
  let exitCode: ExitCodeValue = ExitCode.ok;
  for (const runId of unfinishedRunsWithLiveOrders(store)) {
    const run = getRun(store, runId)!;
    const key = `${run.broker}:${run.account}`;
    const entry = { run_id: run.run_id, broker: run.broker, account: run.account, still_open: [] as string[], message: null as string | null };
    const holder = lock.holder(key);
    if (holder?.state.alive) {
      if (holder.runId === run.run_id) {
        out.info(`run ${run.run_id} is running (pid ${holder.pid} on ${holder.hostname}): its engine cancels its open orders`);
        runs.push({ ...entry, result: 'running' });
      } else {
        const message = `${key} is held by ${describeHolder(holder)}; cancel the open orders of run ${run.run_id} with \`ptexec cancel ${run.run_id}\` once it has finished`;
        out.warn(message);
        runs.push({ ...entry, result: 'skipped', message });
        exitCode = ExitCode.incomplete;
      }
      continue;
    }
    try {
      const { stillOpen } = await cancelStoppedRun(f, { run, by: currentActor('ptexec halt'), endLegs: false, reason: 'kill switch' });
      if (stillOpen.length) {
        out.error(`run ${run.run_id}: ${stillOpen.length} order(s) could not be cancelled at ${run.broker}: ${stillOpen.join(', ')}`);
        exitCode = ExitCode.incomplete;
      } else {
        out.info(`run ${run.run_id}: open orders cancelled at ${key}; it stays interrupted (\`ptexec resume ${run.run_id}\` after \`ptexec unhalt\`)`);
      }
      runs.push({ ...entry, result: stillOpen.length ? 'failed' : 'cancelled', still_open: stillOpen });
    } catch (err) {
      // One broker out of reach must not keep the others' orders working.
      const d = describeError(err);
      out.error(`run ${run.run_id}: its open orders at ${key} were not cancelled: ${d.message}`);
      if (d.hint) out.info(`  ${d.hint}`);
      runs.push({ ...entry, result: 'failed', message: d.message });
      if (exitCode === ExitCode.ok) exitCode = d.bug ? ExitCode.incomplete : d.exitCode;
    }
  }
  return { exitCode, runs };
}

/** `ptexec unhalt`: lifts the kill switch; runs it stopped continue with `ptexec resume`. */
export async function unhaltTrading(f: Factory): Promise<CommandResult> {
  const killSwitch = f.killSwitch();
  const before = killSwitch.isHalted();
  if (!before.halted) {
    f.io.info('trading is not halted; nothing to do');
    return { exitCode: ExitCode.ok, json: { halted: false, changed: false } };
  }
  killSwitch.unhalt();
  await notify(f, () => killSwitchMessage(false, null, new Date(f.wallNow()).toISOString()));
  f.io.info(`trading resumed (halted since ${new Date(before.at ?? 0).toISOString()}${before.reason ? `: ${before.reason}` : ''})`);
  return { exitCode: ExitCode.ok, json: { halted: false, changed: true, was_reason: before.reason ?? null } };
}
