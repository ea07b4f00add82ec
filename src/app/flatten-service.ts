import { BlockedError } from '../domain/errors/blocked-error.js';
import { ConflictError } from '../domain/errors/conflict-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { TargetPosition } from '../domain/target-portfolio.js';
import { STEERABLE_RUN } from '../domain/run-status.js';
import { ExitCode } from '../lib/exit-codes.js';
import { splitCsvLine } from '../market/csv.js';
import { AccountLock, describeHolder } from '../store/account-lock.js';
import { unfinishedRunsWithLiveOrders } from '../store/left-working-queries.js';
import { getRun, type RunRow } from '../store/queries.js';
import { currentActor } from '../store/risk-queries.js';
import type { CommandResult } from './command-result.js';
import { executionFromFlags, type ExecutionFlags } from './execution-spec.js';
import type { Factory } from './factory.js';
import { checkedPlanJson } from './render/run-result.js';
import { dryRunResult, openPlanning, presentPlan, sendChecked } from './rebalance-command-service.js';
import type { TargetInput } from './rebalance-input.js';
import { lockedError } from './run-conflicts.js';
import { requestControl } from './run-control.js';
import { cancelStoppedRun } from './stopped-run-cancel.js';

/** The flags of `ptexec flatten`. */
export interface FlattenFlags extends ExecutionFlags {
  symbols?: string;
  broker?: string;
  yes: boolean;
  'dry-run'?: boolean;
  'override-halt': boolean;
  reason?: string;
  risk?: string;
  speed?: string;
  seed?: number;
  'no-ui': boolean;
}

/** How long a running run is given to stop and confirm its cancels (wall clock), and how often it is looked at. */
export const STOP_WAIT_MS = 60_000;
const STOP_POLL_MS = 250;

type StoppedRun = { run_id: string; was: 'running' | 'stopped'; status: string; still_open: string[] };

/**
 * `ptexec flatten`: emergency liquidation of an account. Takes over from the runs trading it (a
 * run executing in any process is asked to cancel and waited for, bounded; a stopped run's open
 * orders are cancelled here), then sells the listed holdings (or all) as a new run through the
 * normal plan, the risk gate and execution. While the kill switch is on it is refused unless
 * `--override-halt --reason` is given; the override and its reason are recorded with the run.
 */
export async function flattenAccount(f: Factory, flags: FlattenFlags): Promise<CommandResult> {
  const dryRun = flags['dry-run'] ?? false;
  const reason = flags.reason?.trim();
  if (flags['override-halt'] && !reason) throw new InvalidInputError('--override-halt needs --reason "…": the reason is recorded with the run', 'e.g. --override-halt --reason "exchange outage, closing out"');
  if (reason && !flags['override-halt']) throw new InvalidInputError('--reason goes with --override-halt', 'add --override-halt, or remove --reason');
  const symbols = parseSymbols(flags.symbols);
  const execution = executionFromFlags(flags);
  const halt = f.killSwitch().isHalted();
  if (halt.halted && !dryRun && !flags['override-halt']) {
    const since = halt.at === undefined ? '' : ` since ${new Date(halt.at).toISOString()}`;
    throw new BlockedError(`trading is halted${since}${halt.reason ? ` (${halt.reason})` : ''}; nothing was stopped or sold`, 'flatten anyway with --override-halt --reason "why", or `ptexec unhalt` first');
  }
  await f.risk(flags.risk);
  const brokerId = await f.chooseBroker(flags.broker);
  const postTrade = await f.postTrade(brokerId);
  const target: TargetInput = {
    brokerId,
    target: { positions: (symbols ?? []).map(flatPosition), cashBufferPct: 0 },
    text: JSON.stringify({ flatten: symbols ?? 'all' }),
    source: 'flatten',
    execution,
    planOptions: { defaultExecution: execution, estimateCharges: postTrade.estimateCharges, liquidateUnlisted: symbols === undefined },
    options: { flatten: symbols ?? 'all', algo: execution.algo, params: execution.params, speed: flags.speed ?? null, seed: flags.seed ?? null, ...(reason ? { override_halt: reason } : {}) },
  };
  // The same connection the plan uses (same speed and seed), opened first to name the account.
  const broker = await f.broker(brokerId, { speed: flags.speed, seed: flags.seed });
  const stopped = dryRun ? runsToStop(f, `${broker.id}:${broker.account}`) : await stopRuns(f, `${broker.id}:${broker.account}`);
  const session = await openPlanning(f, target, { dryRun, newRun: true, allowPartial: true, allowDuplicate: true, speed: flags.speed, seed: flags.seed, riskFile: flags.risk, noUi: flags['no-ui'], overrideHalt: flags['override-halt'] });
  try {
    const planned = await session.driven.drive(session.service.plan(session.request));
    if (planned.kind === 'locked') throw lockedError(f.store(), session.service.lockKey, planned.holder, planned.runId);
    if (planned.kind !== 'checked') throw new ConflictError(`run ${planned.runId} of this account is unfinished; nothing was sold`, `\`ptexec cancel ${planned.runId} --yes\`, then flatten again`);
    presentPlan(f.io, session.broker, planned);
    const report = { stopped_runs: stopped, override_halt: reason ?? null };
    if (dryRun) {
      const result = dryRunResult(f.io, session.broker, planned);
      return { exitCode: result.exitCode, json: { ...(result.json as object), ...report } };
    }
    if (planned.legs.length === 0) {
      const why = planned.blockedWhy ?? 'nothing to sell';
      f.io.info(planned.blocked.length ? why : `${session.broker.id} account ${session.broker.account}: nothing to sell`);
      const exitCode = planned.blocked.length ? ExitCode.blocked : ExitCode.ok;
      return { exitCode, json: { ...checkedPlanJson(planned, session.broker, planned.blocked.length ? 'blocked' : 'planned', why), ...report } };
    }
    if (reason) {
      f.store().append({ runId: planned.runId, type: 'run.alert', payload: { level: 'warn', source: 'flatten', message: `kill switch overridden by ${currentActor('ptexec flatten')}: ${reason}` } });
    }
    const result = await sendChecked(f, session, planned, flags.yes);
    return { exitCode: result.exitCode, json: { ...(result.json as object), ...report } };
  } finally {
    session.close();
  }
}

function parseSymbols(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const symbols = [...new Set(splitCsvLine(text).map((s) => s.trim().toUpperCase()).filter(Boolean))];
  if (!symbols.length) throw new InvalidInputError(`--symbols "${text}" names no symbol`, 'e.g. --symbols INFY,TCS, or leave it out to sell every holding');
  return symbols;
}

function flatPosition(symbol: string, i: number): TargetPosition {
  return { symbol, amount: { kind: 'quantity', quantity: 0 }, place: { file: '--symbols', field: symbol }, location: `--symbols ${symbol} (#${i + 1})` };
}

/** What a dry run would stop: the runs holding the account, or stopped with orders open. */
function runsToStop(f: Factory, key: string): StoppedRun[] {
  return accountRuns(f, key).map(({ run, running }) => ({ run_id: run.run_id, was: running ? 'running' : 'stopped', status: run.status, still_open: [] }));
}

function accountRuns(f: Factory, key: string): { run: RunRow; running: boolean }[] {
  const store = f.store();
  const holder = new AccountLock(store).holder(key);
  const runningId = holder?.state.alive ? holder.runId : undefined;
  const ids = new Set(unfinishedRunsWithLiveOrders(store));
  if (runningId) ids.add(runningId);
  return [...ids]
    .map((id) => getRun(store, id))
    .filter((run): run is RunRow => run !== undefined && `${run.broker}:${run.account}` === key)
    .map((run) => ({ run, running: run.run_id === runningId }));
}

/**
 * Stops every run trading the account: a running one is asked to cancel (its engine cancels its
 * open orders and waits for the broker's confirmations) and waited for until it lets go of the
 * account; a stopped one has its open orders cancelled here. Nothing is sold until they are.
 */
async function stopRuns(f: Factory, key: string): Promise<StoppedRun[]> {
  const store = f.store();
  const lock = new AccountLock(store);
  const stopped: StoppedRun[] = [];
  for (const { run, running } of accountRuns(f, key)) {
    if (running && STEERABLE_RUN.has(run.status)) {
      requestControl(store, run, 'cancel');
      f.io.info(`asked run ${run.run_id} (running in ${describeHolder(lock.holder(key)!)}) to stop and cancel its open orders`);
      const started = f.wallNow();
      while (lock.holder(key)?.runId === run.run_id && lock.holder(key)?.state.alive) {
        if (f.wallNow() - started >= STOP_WAIT_MS) {
          throw new ConflictError(`run ${run.run_id} did not stop within ${STOP_WAIT_MS / 1000} s; nothing was sold`, `see it with \`ptexec watch ${run.run_id}\`; \`ptexec halt --cancel-open\` stops every engine`);
        }
        await f.wallSleep(STOP_POLL_MS);
      }
      const after = getRun(store, run.run_id)!;
      f.io.info(`run ${run.run_id} stopped: ${after.status}`);
      stopped.push({ run_id: run.run_id, was: 'running', status: after.status, still_open: [] });
    } else {
      const { outcome, stillOpen } = await cancelStoppedRun(f, { run, by: currentActor('ptexec flatten'), endLegs: true, reason: 'flatten' });
      f.io.info(`run ${run.run_id}: open orders cancelled; the run is ${outcome.status}`);
      if (stillOpen.length) throw new ConflictError(`run ${run.run_id}: ${stillOpen.length} order(s) could not be cancelled (${stillOpen.join(', ')}); nothing was sold`, 'cancel them at the broker, then flatten again');
      stopped.push({ run_id: run.run_id, was: 'stopped', status: outcome.status, still_open: stillOpen });
    }
  }
  return stopped;
}
