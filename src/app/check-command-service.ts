import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import { readTargetInput, type PlanFlags } from './rebalance-input.js';
import { dryRunResult, openPlanning, presentPlan } from './planning-session.js';

/**
 * `ptexec check`: the rebalance service plans the target and runs the pre-trade checks, and the
 * plan is shown with every verdict, exactly as `rebalance --dry-run` shows it; nothing is
 * recorded or sent. Exit 3 when a leg or the run is blocked.
 */
export async function checkTarget(f: Factory, input: { file: string; flags: PlanFlags }): Promise<CommandResult> {
  const target = await readTargetInput(f, input.file, input.flags);
  const session = await openPlanning(f, target, { dryRun: true, riskFile: input.flags.risk, noUi: true });
  try {
    const planned = await session.driven.drive(session.service.plan(session.request));
    // A dry run neither locks nor looks for an existing run: it is always a checked plan.
    if (planned.kind !== 'checked') throw new Error(`a dry run planned as ${planned.kind}`);
    presentPlan(f.io, session.broker, planned);
    return dryRunResult(f.io, session.broker, planned);
  } finally {
    session.close();
  }
}
