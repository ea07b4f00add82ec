import type { Broker } from '../brokers/broker.js';
import { BlockedError } from '../domain/errors/blocked-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { CheckedPlan, Planned, RebalanceOutcome, RebalanceRequest, RebalanceService } from '../engine/rebalance/rebalance-service.js';
import { refuseWhileHalted } from '../engine/risk/halted.js';
import { ExitCode } from '../lib/exit-codes.js';
import type { Interrupt } from '../lib/interrupt.js';
import type { IO } from '../lib/io.js';
import { getRun } from '../store/queries.js';
import type { CommandResult } from './command-result.js';
import type { DrivenClock, Factory } from './factory.js';
import { refuseWithoutAfterMarket } from './after-market.js';
import { dryRunResult, openPlanning, presentPlan, type PlanningSession } from './planning-session.js';
import { insideBandsResult } from './drift-service.js';
import { parseWaitLock, planWaitingForLock } from './lock-wait.js';
import { waitForStartAt } from './start-wait.js';
import { readTargetInput, type RebalanceFlags, type TargetInput } from './rebalance-input.js';
import { checkedPlanJson, outcomeExitCode, renderOutcome, runResultJson } from './render/run-result.js';
import { existingRunError, lockedError, runState } from './run-conflicts.js';
import { notify, notifyRunOutcome } from './run-notifications.js';
import { runBlocked } from './notify/messages.js';
import { accountOfRun } from './group/account-of-run.js';

export type { RebalanceFlags } from './rebalance-input.js';
export { dryRunResult, openPlanning, presentPlan, type PlanningSession } from './planning-session.js';

/**
 * `ptexec rebalance`: input → plan (and checks) → render → confirm → execute → render → exit
 * code. The order of operations, the checks and the blocked/allow-partial decision are the
 * rebalance service's; this is the terminal around it.
 */
export async function executeRebalance(f: Factory, input: { file: string; flags: RebalanceFlags }): Promise<CommandResult> {
  const { flags } = input;
  const accounts = await accountOfRun(f, input);
  if (accounts.kind === 'group') return accounts.execute();
  const target = await readTargetInput(f, input.file, accounts.flags);
  const waitLockMs = parseWaitLock(flags['wait-lock']);
  const stopped = await waitForStartAt(f, target, flags);
  if (stopped) return stopped;
  const session = await openPlanning(f, target, {
    dryRun: flags['dry-run'] ?? false,
    runId: flags['run-id'],
    newRun: flags['new-run'],
    allowPartial: flags['allow-partial'],
    allowDuplicate: flags['allow-duplicate'],
    speed: flags.speed,
    seed: flags.seed,
    riskFile: flags.risk,
    noUi: flags['no-ui'],
    account: accounts.account,
  });
  try {
    if (flags.amo) refuseWithoutAfterMarket(session.broker);
    const inside = await insideBandsResult(f, session, target);
    if (inside) return inside;
    const planned = await planWaitingForLock(f, session, waitLockMs);
    if (planned.kind === 'stopped') return planned.result;
    if (planned.kind !== 'checked') return await otherwise(f, session, planned, input.file);
    presentPlan(f.io, session.broker, planned);
    if (planned.request.dryRun) return dryRunResult(f.io, session.broker, planned);
    if (planned.refusal) {
      const result = checkedPlanJson(planned, session.broker, 'blocked', planned.refusal.message);
      await notify(f, () => runBlocked({ runId: planned.runId, broker: session.broker.id, account: session.broker.account }, planned.refusal!.message, result.results), planned.runId);
      throw new BlockedError(planned.refusal.message, planned.refusal.hint, { result });
    }
    return await sendChecked(f, session, planned, flags.yes);
  } finally {
    session.close();
  }
}


/** The target ran today, another process holds the account, or an unfinished run of it is resumed here. */
async function otherwise(f: Factory, session: PlanningSession, planned: Exclude<Planned, CheckedPlan>, file: string): Promise<CommandResult> {
  const store = f.store();
  const { service, broker, display, driven, interrupt } = session;
  if (planned.kind === 'existing') throw existingRunError(store, planned.runId, broker.id, file);
  if (planned.kind === 'locked') throw lockedError(store, service.lockKey, planned.holder, planned.runId);
  // The lock is ours already: nobody else is executing this run.
  f.io.info(`run ${planned.runId} for this target is unfinished (${runState(store, getRun(store, planned.runId)!)}); resuming it`);
  const resumed = await display.around(() => driven.drive(service.resume(planned.runId)), { store, runId: () => planned.runId, stop: interrupt.abort });
  if ('kind' in resumed) throw lockedError(store, service.lockKey, resumed.holder, planned.runId);
  await notifyRunOutcome(f, planned.runId, broker, resumed);
  return runResult(f.io, planned.runId, broker, resumed, interrupt.signal.aborted);
}

/** Asks (or not), then executes what the checks let through. */
export async function sendChecked(f: Factory, session: PlanningSession, checked: CheckedPlan, yes: boolean): Promise<CommandResult> {
  const { io } = f;
  const { broker, display, driven, service, interrupt } = session;
  const { legs, blocked, runId } = checked;
  if (blocked.length) io.warn(`sending ${legs.length} leg(s); ${blocked.length} blocked by the pre-trade checks are left out (--allow-partial)`);
  if (legs.length > 0 && !(await confirmed(io, broker, yes, legs.length, checked.warnings))) {
    io.info('nothing was sent');
    return { exitCode: ExitCode.ok, json: checkedPlanJson(checked, broker, 'declined', 'not confirmed at the prompt; nothing was sent') };
  }
  const outcome = await display.around(() => driven.drive(service.execute(checked)), { store: f.store(), runId: () => runId, stop: interrupt.abort });
  await notifyRunOutcome(f, runId, broker, outcome);
  return runResult(io, runId, broker, outcome, interrupt.signal.aborted);
}

/** A run that was worked: its summary, and the exit code of how it ended. */
export function runResult(io: IO, runId: string, broker: Broker, outcome: RebalanceOutcome, aborted: boolean): CommandResult {
  if (!io.jsonMode) renderOutcome(io, runId, outcome);
  if (outcome.status === 'interrupted') io.info(`state saved; continue with \`ptexec resume ${runId}\``);
  const { status, reason, legs, blocked, skipped, notes } = outcome;
  return { exitCode: outcomeExitCode(status, aborted), json: runResultJson({ runId, broker: broker.id, account: broker.account, status, reason, legs, blocked, skipped, notes }) };
}

/**
 * Never require a prompt (CLI.md): on a terminal ask; `--yes` answers; without a terminal a
 * simulated market proceeds (no real money) and a real broker stops with exit 2.
 */
async function confirmed(io: IO, broker: Broker, yes: boolean, legs: number, warnings: boolean): Promise<boolean> {
  if (yes) return true;
  if (io.interactive) {
    return io.confirm(`Send ${legs} order${legs === 1 ? '' : 's'} to ${broker.id} account ${broker.account}${warnings ? ' despite the warnings above' : ''}?`);
  }
  if (broker.capabilities.simulatedMarket && !warnings) return true;
  const why = warnings ? 'the pre-trade checks raised warnings' : `these are real orders to ${broker.id}`;
  throw new InvalidInputError(`refusing to send without confirmation: ${why} and there is no terminal to ask`, 'add --yes to confirm, or --dry-run to only plan');
}
