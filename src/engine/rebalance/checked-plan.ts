import type { AccountSnapshot, BlockedLeg, Leg, Plan } from '../../domain/plan.js';
import type { PlanRiskResult } from '../risk/types.js';
import type { RebalanceRequest } from './rebalance-request.js';

declare const issuedByPlan: unique symbol;

/**
 * A plan with the verdicts of the pre-trade checks and what they decided, as only
 * `RebalanceService.plan` makes it: `execute` takes nothing else, so no front end can send a
 * plan that was not checked.
 */
export interface CheckedPlan {
  readonly kind: 'checked';
  readonly runId: string;
  readonly request: RebalanceRequest;
  readonly plan: Plan;
  readonly snapshot: AccountSnapshot;
  /** Every leg's verdict with its reasons, and the run's own. */
  readonly risk: PlanRiskResult;
  /** What would be sent: the plan's legs, less those the checks blocked. */
  readonly legs: readonly Leg[];
  /** Legs the checks blocked, with the reasons that blocked them. */
  readonly blocked: readonly BlockedLeg[];
  /** A leg or the run has a warning: the confirmation says so. */
  readonly warnings: boolean;
  /** "pre-trade checks blocked 1 leg and the run (duplicate)"; null when nothing is blocked. */
  readonly blockedWhy: string | null;
  /**
   * The checks stop the run (a run-wide block, or blocked legs without `allowPartial`): nothing
   * may be sent, and a run that was to be sent is recorded `blocked` with this message.
   */
  readonly refusal: { message: string; hint: string } | null;
  readonly [issuedByPlan]: true;
}

/** The blocked/allow-partial decision over the checks' verdicts. */
export function decide(plan: Plan, risk: PlanRiskResult, allowPartial: boolean): Pick<CheckedPlan, 'legs' | 'blocked' | 'warnings' | 'blockedWhy' | 'refusal'> {
  const blockedLegs = new Set(risk.legs.filter((l) => l.verdict === 'block').map((l) => l.leg));
  const runBlocks = risk.run.filter((r) => r.level === 'block');
  const warnings = risk.legs.some((l) => l.verdict === 'warn') || risk.run.some((r) => r.level === 'warn');
  const blocked = risk.legs
    .filter((l) => blockedLegs.has(l.leg))
    .map(({ leg, reasons }) => {
      const l = plan.legs.find((p) => p.index === leg)!;
      return { leg, symbol: l.symbol, exchange: l.exchange, side: l.side, quantity: l.quantity, reasons: reasons.filter((r) => r.level === 'block').map((r) => ({ rule: r.rule, message: r.message })) };
    });
  const legs = plan.legs.filter((l) => !blockedLegs.has(l.index));
  if (!blockedLegs.size && !runBlocks.length) return { legs, blocked, warnings, blockedWhy: null, refusal: null };
  const what = [blockedLegs.size ? `${blockedLegs.size} leg${blockedLegs.size === 1 ? '' : 's'}` : '', runBlocks.length ? `the run (${runBlocks.map((r) => r.rule).join(', ')})` : ''];
  const blockedWhy = `pre-trade checks blocked ${what.filter(Boolean).join(' and ')}`;
  const refused = runBlocks.length > 0 || !allowPartial;
  return { legs, blocked, warnings, blockedWhy, refusal: refused ? { message: `${blockedWhy}; nothing was sent`, hint: blockedHint(runBlocks.map((r) => r.rule)) } : null };
}

function blockedHint(runRules: string[]): string {
  if (runRules.length === 0) return 'fix the blocked legs, or send the others with --allow-partial';
  if (runRules.every((r) => r === 'duplicate')) return 'an earlier run traded this same target; to send it again on purpose, add --allow-duplicate';
  return 'raise the limit in the risk configuration or trade less';
}
