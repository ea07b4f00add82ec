import type { Broker } from '../brokers/broker.js';
import type { DriftBand } from '../domain/drift-band.js';
import { bandsApply, targetDrift } from '../engine/planner/line-drift.js';
import { INSIDE_BANDS } from '../engine/planner/plan-rebalance.js';
import { takeSnapshot } from '../engine/planner/snapshot.js';
import type { TargetPortfolio } from '../domain/target-portfolio.js';
import { ExitCode } from '../lib/exit-codes.js';
import { bandFromFlag } from './band-input.js';
import type { CommandResult } from './command-result.js';
import type { DrivenClock, Factory } from './factory.js';
import { parseTargetPortfolio } from './loaders/target-file.js';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from './read-input.js';
import { driftJson, renderDrift, type DriftView } from './render/drift-view.js';
import type { TargetInput } from './rebalance-input.js';

/**
 * `ptexec drift`: each target line's current and target weight of the account, its drift and
 * whether it is outside its band. Exit 0 whether or not a line is outside: it is a report, and
 * `rebalance --band` is what acts on it.
 */
export async function driftCommand(f: Factory, input: { file: string; flags: { broker?: string; band?: string } }): Promise<CommandResult> {
  const config = await f.config();
  const text = await readInput(input.file, { maxBytes: config.input?.max_bytes ?? DEFAULT_MAX_INPUT_BYTES, stdin: () => f.io.stdin });
  const target = parseTargetPortfolio(text.text, text.source);
  const band = bandFromFlag(input.flags.band);
  const brokerId = await f.chooseBroker(input.flags.broker, target.broker);
  const driven = await f.clock(brokerId);
  const broker = await f.broker(brokerId);
  const view = await driftView(broker, driven, target, band);
  if (!f.io.jsonMode) renderDrift(f.io, view);
  return { exitCode: ExitCode.ok, json: driftJson(view) };
}

async function driftView(broker: Broker, driven: DrivenClock, target: TargetPortfolio, band: DriftBand | undefined): Promise<DriftView> {
  const snapshot = await driven.drive(takeSnapshot(broker, target, driven.clock));
  const { accountValue, lines } = targetDrift(target, snapshot, band);
  return { broker: broker.id, account: broker.account, currency: snapshot.funds.currency, accountValue, lines };
}

/**
 * Before a band rebalance takes the account lock or opens a run: when every line is inside its
 * band it says so and ends (exit 0), so that a scheduled `rebalance --band` can run as often as
 * it likes without recording empty runs. Undefined when the run should go on.
 */
export async function insideBandsResult(f: Factory, session: { broker: Broker; driven: DrivenClock }, target: TargetInput): Promise<CommandResult | undefined> {
  const { band, cashOnly } = target.planOptions;
  if (cashOnly !== undefined || !bandsApply(target.target, band)) return undefined;
  const view = await driftView(session.broker, session.driven, target.target, band);
  if (view.lines.some((l) => l.band && l.drift.outside)) return undefined;
  f.io.info(INSIDE_BANDS);
  return { exitCode: ExitCode.ok, json: { status: 'inside-bands', reason: INSIDE_BANDS, ...driftJson(view) } };
}
