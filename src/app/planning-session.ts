import type { Broker } from '../brokers/broker.js';
import type { CheckedPlan, RebalanceRequest, RebalanceService } from '../engine/rebalance/rebalance-service.js';
import { refuseWhileHalted } from '../engine/risk/halted.js';
import { ExitCode } from '../lib/exit-codes.js';
import type { Interrupt } from '../lib/interrupt.js';
import type { IO } from '../lib/io.js';
import type { CommandResult } from './command-result.js';
import type { DrivenClock, Factory } from './factory.js';
import type { TargetInput } from './rebalance-input.js';
import { renderCheckedPlan } from './render/plan-view.js';
import { checkedPlanJson } from './render/run-result.js';
import { RunDisplay } from './run-display.js';
import { tradingDateFor } from './trading-date.js';

// The planning half of `rebalance`, on its own so that `check` (which only plans) loads neither
// the group rebalance nor the sending, confirming and notifying that follow a plan.

/** A target being planned in this process: its broker, clock, service and how it is shown. */
export interface PlanningSession {
  broker: Broker;
  driven: DrivenClock;
  service: RebalanceService;
  display: RunDisplay;
  interrupt: Interrupt;
  request: RebalanceRequest;
  /** Releases the account lock and the signals (the factory closes the broker). */
  close(): void;
}

/**
 * Validates the target's broker and flags, opens the broker on its clock, and wires the
 * rebalance service with the limits, signals and display of this process. While the kill switch
 * is on a run that would send is refused before the broker is asked anything.
 */
export async function openPlanning(
  f: Factory,
  target: TargetInput,
  run: Pick<RebalanceRequest, 'dryRun' | 'runId' | 'newRun' | 'allowPartial' | 'allowDuplicate'> & { speed?: string; seed?: number; riskFile?: string; noUi: boolean; overrideHalt?: boolean; account?: string },
): Promise<PlanningSession> {
  const killSwitch = f.killSwitch();
  if (!run.dryRun && !run.overrideHalt) refuseWhileHalted(killSwitch, 'nothing was sent');
  else if (killSwitch.isHalted().halted) f.io.warn(run.overrideHalt ? 'trading is halted: sending anyway (--override-halt)' : 'trading is halted: this plan cannot be sent until `ptexec unhalt`');
  const driven = await f.clock(target.brokerId, run.speed);
  const broker = await f.broker(target.brokerId, run);
  const interrupt = f.io.interruptOnSignals();
  // A dry run records nothing and never executes: it has no progress to show.
  const display = await RunDisplay.open(f.io, { noUi: run.noUi, quiet: run.dryRun });
  try {
    const currency = (await broker.funds()).currency;
    const [{ costHooks }, { loadCostModel }, { userVolumeProfiles }] = await Promise.all([import('../engine/estimate/plan-hooks.js'), import('./loaders/cost-model.js'), import('./loaders/volume-profile-file.js')]);
    const estimates = costHooks(loadCostModel(f.env).model, () => driven.clock.now(), broker.capabilities.simulatedMarket, await userVolumeProfiles(f));
    const service = await f.runService({ brokerId: target.brokerId, account: run.account, speed: run.speed, seed: run.seed, riskFile: run.riskFile, interrupt, display, overrideHalt: run.overrideHalt });
    const request: RebalanceRequest = {
      target: target.target,
      targetText: target.text,
      source: target.source,
      // The run's identity is the wall-clock day: a simulated market ahead of it is not a new day.
      tradingDate: tradingDateFor(currency, f.wallNow()),
      dryRun: run.dryRun,
      runId: run.runId,
      newRun: run.newRun,
      allowPartial: run.allowPartial,
      allowDuplicate: run.allowDuplicate,
      planOptions: { ...target.planOptions, ...estimates },
      options: target.options,
    };
    return { broker, driven, service, display, interrupt, request, close: () => (service.release(), interrupt.dispose()) };
  } catch (err) {
    interrupt.dispose();
    throw err;
  }
}

/** The plan as checked: a header naming the account and the run, every leg with its verdict, the run's own reasons. */
export function presentPlan(io: IO, broker: Broker, checked: CheckedPlan): void {
  if (!io.jsonMode) renderCheckedPlan(io, checked, broker);
}

/** A plan that is only shown: exit 3 when the checks blocked something (unless `--allow-partial`). */
export function dryRunResult(io: IO, broker: Broker, checked: CheckedPlan): CommandResult {
  const { blockedWhy } = checked;
  if (blockedWhy && !io.jsonMode) io.info(blockedWhy);
  const exitCode = blockedWhy && !checked.request.allowPartial ? ExitCode.blocked : ExitCode.ok;
  return { exitCode, json: checkedPlanJson(checked, broker, blockedWhy ? 'blocked' : 'planned', blockedWhy) };
}
