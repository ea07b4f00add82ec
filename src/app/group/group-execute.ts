import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { CheckedPlan } from '../../engine/rebalance/checked-plan.js';
import type { RebalanceOutcome } from '../../engine/rebalance/run-outcome.js';
import { ExitCode, type ExitCodeValue } from '../../lib/exit-codes.js';
import type { Interrupt } from '../../lib/interrupt.js';
import type { CommandResult } from '../command-result.js';
import type { DrivenClock, Factory } from '../factory.js';
import { outcomeExitCode, renderOutcome, runResultJson } from '../render/run-result.js';
import { notifyRunOutcome } from '../run-notifications.js';
import { statusEvent } from '../../engine/rebalance/run-outcome.js';
import { brokerDown, failOver, handedOver, handoverOf, keptLine, type FailoverContext } from './failover.js';
import { groupTotalsJson, unroutedJson, type GroupPlanView } from './group-view.js';
import type { OpenAccount } from './open-account.js';

/** One account's run in a group: the account and the plan its service checked. */
export interface GroupRun {
  open: OpenAccount;
  checked: CheckedPlan;
}

/** A run of the group that was worked, and how it ended. */
export interface GroupRunEnd {
  run: GroupRun;
  outcome: RebalanceOutcome;
  /** The run this one took over (failover). */
  failoverOf?: string;
  /** Its broker went down and everything it had not finished moved to other runs of the group. */
  handedOver?: boolean;
}

export interface GroupExecution {
  groupId: string;
  view: GroupPlanView;
  runs: readonly GroupRun[];
  interrupt: Interrupt;
  /** Absent with --no-failover. */
  failover?: FailoverContext;
  /** Called once every run (failovers included) has ended, before the results are printed: the group's dashboard closes. */
  worked?: () => Promise<void>;
}

/**
 * Works every account's run at once (the runs of one simulated market share its clock and are
 * driven together), then reports each run and the group. A run that fails does not stop the
 * others: every run ends with its own status recorded before the first failure is raised.
 */
export async function executeGroup(f: Factory, g: GroupExecution): Promise<CommandResult> {
  const first = await executeTogether(g.runs);
  const ends = g.failover ? [...first, ...(await failoverRounds(f, g.failover, first, g.interrupt.signal.aborted))] : first;
  await g.worked?.();
  for (const end of ends) await notifyRunOutcome(f, end.run.checked.runId, end.run.open.broker, end.outcome);
  if (!f.io.jsonMode) renderGroupOutcome(f, g, ends);
  const aborted = g.interrupt.signal.aborted;
  const exitCode = worstExitCode(ends.filter((e) => !e.handedOver).map((e) => outcomeExitCode(e.outcome.status, aborted)));
  const interrupted = ends.filter((e) => e.outcome.status === 'interrupted' && !e.handedOver);
  for (const e of interrupted) f.io.info(`state saved; continue ${e.run.open.definition.alias} with \`ptexec resume ${e.run.checked.runId}\``);
  return { exitCode, json: groupResultJson(g, ends) };
}

/**
 * After each round of runs, the runs whose broker went down hand what they never sent to the
 * other accounts, as new runs of the group executed together; a broker that goes down in a
 * failover run hands on again, never back to an account that is down.
 */
async function failoverRounds(f: Factory, ctx: FailoverContext, first: readonly GroupRunEnd[], aborted: boolean): Promise<GroupRunEnd[]> {
  const down = new Set<string>();
  const added: GroupRunEnd[] = [];
  let current = first;
  for (let round = 0; round < ctx.accounts.length && current.length; round++) {
    const next: { run: GroupRun; from: GroupRunEnd }[] = [];
    for (const end of current) {
      const why = await brokerDown(end, aborted);
      if (!why) continue;
      down.add(end.run.open.definition.alias);
      const handover = await handoverOf(f, end, why);
      const runs = await failOver(f, ctx, handover, down);
      const kept = keptLine(handover);
      if (kept && !f.io.jsonMode) f.io.info(kept);
      if (runs.length && handedOver(handover)) {
        end.handedOver = true;
        const reason = `${why}; what it had not sent moved to run ${runs.map((r) => r.checked.runId).join(', ')} (failover)`;
        end.outcome = { ...end.outcome, status: 'incomplete', reason };
        end.run.open.onEvents(f.store().append(statusEvent(end.run.checked.runId, 'incomplete', reason)));
      }
      next.push(...runs.map((run) => ({ run, from: end })));
    }
    if (!next.length) break;
    const ended = await executeTogether(next.map((n) => n.run));
    ended.forEach((e, i) => (e.failoverOf = next[i]!.from.run.checked.runId));
    added.push(...ended);
    current = ended;
  }
  return added;
}

/** Runs the checked plans together, grouped by the clock that drives them; the first failure is raised once all have ended. */
export async function executeTogether(runs: readonly GroupRun[]): Promise<GroupRunEnd[]> {
  const byClock = new Map<DrivenClock, GroupRun[]>();
  for (const r of runs) byClock.set(r.open.driven, [...(byClock.get(r.open.driven) ?? []), r]);
  const settled = await Promise.all([...byClock].map(async ([driven, list]) => ({ list, results: await driven.drive(Promise.allSettled(list.map((r) => r.open.service.execute(r.checked)))) })));
  const ends: GroupRunEnd[] = [];
  let failure: unknown;
  for (const { list, results } of settled) {
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') ends.push({ run: list[i]!, outcome: result.value });
      // A broker that went down before the run could start (its quotes, its login) stops that run
      // as interrupted (recorded so), like one that goes down later: the group can fail it over.
      else if (isBrokerError(result.reason, 'auth') || isBrokerError(result.reason, 'unavailable')) ends.push({ run: list[i]!, outcome: { status: 'interrupted', reason: result.reason.message, legs: [], blocked: [], skipped: [], notes: [] } });
      else failure ??= result.reason;
    });
  }
  if (failure !== undefined) throw failure;
  return runs.map((r) => ends.find((e) => e.run === r)!);
}

/** The exit code of a group: the worst of its runs' (interrupted, then incomplete, then done). */
export function worstExitCode(codes: readonly ExitCodeValue[]): ExitCodeValue {
  const rank: ExitCodeValue[] = [ExitCode.ok, ExitCode.incomplete, ExitCode.brokerUnavailable, ExitCode.interrupted];
  return codes.reduce<ExitCodeValue>((worst, c) => (rank.indexOf(c) > rank.indexOf(worst) ? c : worst), ExitCode.ok);
}

/** The group's status: completed when every run completed, else the worst run's status. */
export function groupStatus(ends: readonly GroupRunEnd[]): string {
  const order = ['completed', 'partial', 'incomplete', 'interrupted'];
  return ends.reduce((worst, e) => (order.indexOf(e.outcome.status) > order.indexOf(worst) ? e.outcome.status : worst), 'completed');
}

function renderGroupOutcome(f: Factory, g: GroupExecution, ends: readonly GroupRunEnd[]): void {
  for (const e of ends) {
    const { definition, broker } = e.run.open;
    f.io.data('');
    f.io.data(`Account ${definition.alias} (${broker.id} ${broker.account})${e.failoverOf ? `, taking over from run ${e.failoverOf}` : ''}${e.handedOver ? ', handed over (failover)' : ''}:`);
    renderOutcome(f.io, e.run.checked.runId, e.outcome);
  }
  const done = ends.filter((e) => e.outcome.status === 'completed').length;
  f.io.data('');
  f.io.data(`Group ${g.groupId}: ${groupStatus(ends)}; ${done}/${ends.length} runs completed.`);
}

/** The group's result as `--json` prints it (README "Rebalancing several accounts"). */
export function groupResultJson(g: Pick<GroupExecution, 'groupId' | 'view'>, ends: readonly GroupRunEnd[]) {
  return {
    group: g.groupId,
    mode: g.view.mode,
    dry_run: false,
    status: groupStatus(ends),
    reason: null,
    accounts: ends.map((e) => {
      const { definition, broker } = e.run.open;
      const { status, reason, legs, blocked, skipped, notes } = e.outcome;
      return {
        alias: definition.alias,
        routes: e.run.checked.request.group?.routes ?? [],
        failover_of: e.failoverOf ?? null,
        handed_over: e.handedOver ?? false,
        ...runResultJson({ runId: e.run.checked.runId, broker: broker.id, account: broker.account, status, reason, legs, blocked, skipped, notes }),
      };
    }),
    unrouted: unroutedJson(g.view.unrouted),
    group_checks: [],
    totals: groupTotalsJson(g.view.totals),
  };
}
