import { UNFINISHED_RUN } from '../domain/run-status.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { ExitCode } from '../lib/exit-codes.js';
import type { IO } from '../lib/io.js';
import { AccountLock, describeHolder } from '../store/account-lock.js';
import { liveOrdersOfRun } from '../store/left-working-queries.js';
import { currentActor } from '../store/risk-queries.js';
import { hasLeg, orderStatus, type RunRow } from '../store/queries.js';
import type { CommandResult } from './command-result.js';
import { confirmDestructive } from './confirm.js';
import type { Factory } from './factory.js';
import { pickRun } from './resume-command-service.js';
import { requestControl } from './run-control.js';
import { cancelStoppedRun } from './stopped-run-cancel.js';

/**
 * `ptexec cancel [run] [--leg N]`. A run executing in another process (its lock's heartbeat is
 * fresh) is asked to cancel, as before. A stopped run (Ctrl-C, a crash, a halt) is cancelled
 * here: after asking (`--yes` skips it; without a terminal it is required), its open orders are
 * cancelled at the broker and the run ends `incomplete` (one leg: the leg ends, the run stays
 * resumable). Nothing new is ever sent.
 */
export async function cancelRun(f: Factory, input: { runArg?: string; flags: { leg?: number; yes: boolean } }): Promise<CommandResult> {
  const { flags } = input;
  const out = f.io;
  const store = f.store();
  const run = pickRun(store, input.runArg);
  const what = flags.leg === undefined ? 'all legs' : `leg ${flags.leg}`;
  const holder = new AccountLock(store).holder(`${run.broker}:${run.account}`);
  if (holder?.runId === run.run_id && holder.state.alive) {
    const asked = await confirmDestructive({ question: `Cancel ${what} of run ${run.run_id} (running in ${describeHolder(holder)}) and their open orders?`, yes: flags.yes, withoutTerminal: 'refuse', unattended: `not cancelling ${what} of run ${run.run_id}`, io: out });
    if (!asked) return declined(out, run, flags.leg, false);
    requestControl(store, run, 'cancel', flags.leg);
    out.info(`asked run ${run.run_id} to cancel ${what}`);
    return { exitCode: ExitCode.ok, json: { run_id: run.run_id, action: 'cancel', leg: flags.leg ?? null, stopped: false } };
  }
  if (!UNFINISHED_RUN.has(run.status)) throw new InvalidInputError(`run ${run.run_id} is ${run.status}; there is nothing to cancel`, 'list runs with `ptexec runs list`');
  if (flags.leg !== undefined && !hasLeg(store, run.run_id, flags.leg)) {
    throw new InvalidInputError(`run ${run.run_id} has no leg ${flags.leg}`, `see the legs with \`ptexec runs show ${run.run_id}\``);
  }
  const open = liveOrdersOfRun(store, run.run_id, flags.leg);
  const question = `Run ${run.run_id} is not running. Cancel its ${open.length} open order${open.length === 1 ? '' : 's'}${flags.leg === undefined ? '' : ` of leg ${flags.leg}`} at ${run.broker} account ${run.account} and end ${flags.leg === undefined ? 'the run' : 'the leg'}?`;
  if (!(await confirmDestructive({ question, yes: flags.yes, withoutTerminal: 'refuse', unattended: `not cancelling stopped run ${run.run_id}`, io: out }))) return declined(out, run, flags.leg, true, open);
  const { outcome, stillOpen } = await cancelStoppedRun(f, { run, by: currentActor('ptexec cancel'), leg: flags.leg, endLegs: true, reason: 'cancelled by the user' });
  const orders = open.map((id) => ({ client_order_id: id, status: orderStatus(store, id)! }));
  if (stillOpen.length) {
    out.error(`${stillOpen.length} order(s) of run ${run.run_id} could not be cancelled: ${stillOpen.join(', ')}`);
    out.info('  cancel them at the broker, or run `ptexec cancel` again');
  } else {
    out.info(`run ${run.run_id}: ${open.length} open order${open.length === 1 ? '' : 's'} ended at ${run.broker} (${summary(orders)}); the run is ${outcome.status}${outcome.status === 'interrupted' ? ` (${outcome.reason})` : ''}`);
  }
  // A whole run left `interrupted` was stopped part-way (Ctrl-C, a lost login); one leg's cancel leaves it so by design.
  const stoppedEarly = outcome.status === 'interrupted' && flags.leg === undefined;
  const exitCode = stillOpen.length ? ExitCode.incomplete : stoppedEarly ? ExitCode.interrupted : ExitCode.ok;
  return { exitCode, json: { run_id: run.run_id, action: 'cancel', leg: flags.leg ?? null, stopped: true, status: outcome.status, reason: outcome.reason ?? null, orders, still_open: stillOpen } };
}

function declined(out: IO, run: RunRow, leg: number | undefined, stopped: boolean, open: string[] = []): CommandResult {
  out.info('nothing was cancelled');
  return { exitCode: ExitCode.ok, json: { run_id: run.run_id, action: 'cancel', leg: leg ?? null, stopped, status: run.status, orders: [], still_open: open } };
}

function summary(orders: { status: string }[]): string {
  const counts = new Map<string, number>();
  for (const o of orders) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'none';
}
