import type { LegStatus } from '../../domain/leg-status.js';
import { formatMinor } from '../../domain/money.js';
import { isTerminal } from '../../domain/order.js';
import type { BlockedLeg, Plan, SkippedLine } from '../../domain/plan.js';
import type { PlanRiskResult, RiskReason } from '../../engine/risk/types.js';
import type { CheckedPlan, RebalanceOutcome } from '../../engine/rebalance/rebalance-service.js';
import type { LegResult } from '../../engine/runtime/execution-runtime.js';
import { ExitCode, type ExitCodeValue } from '../../lib/exit-codes.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';
import { averagePrice } from './json-contract.js';
import { planJson, skippedJson } from './plan-view.js';

/** A run's exit code (README "Exit codes"): only a run that did all that was asked exits 0. */
export function outcomeExitCode(status: RebalanceOutcome['status'], aborted = false): ExitCodeValue {
  if (status === 'completed') return ExitCode.ok;
  return status === 'interrupted' || aborted ? ExitCode.interrupted : ExitCode.incomplete;
}

const blockedReason = (b: Pick<BlockedLeg, 'reasons'>) => `blocked by the pre-trade checks: ${b.reasons.map((r) => `${r.message} [${r.rule}]`).join('; ')}`;

/** One leg of `results`: the original service's fields (`symbol`, `quantity`, `side`, `status`, `reason`) and ptexec's. */
function resultLeg(l: { leg: number; symbol: string; exchange: string; side: string; quantity: number; status: LegStatus; reason: string | null }, worked?: LegResult) {
  return {
    symbol: l.symbol,
    quantity: l.quantity,
    side: l.side,
    status: l.status,
    reason: l.reason,
    exchange: l.exchange,
    leg: l.leg,
    filled_quantity: worked?.filled ?? 0,
    average_price: worked?.filled ? averagePrice(worked.averagePrice) : null,
    parent_order_id: worked?.parentId ?? null,
    client_order_ids: worked?.clientOrderIds ?? [],
    protective_orders: (worked?.protectiveOrders ?? []).map((o) => ({ client_order_id: o.clientOrderId, role: o.role, status: o.status })),
  };
}

function blockedLeg(b: BlockedLeg) {
  return resultLeg({ ...b, status: 'blocked', reason: blockedReason(b) });
}

/**
 * The `--json` result of a run that was worked (rebalance, resume): each leg as it ended, the
 * legs `--allow-partial` left out as `blocked`, the lines not traded in `skipped`.
 */
export function runResultJson(args: {
  runId: string;
  broker: string;
  account: string;
  status: string;
  reason?: string;
  legs: LegResult[];
  blocked?: BlockedLeg[];
  skipped?: SkippedLine[];
  notes?: string[];
}) {
  const worked = args.legs.map((l) => resultLeg({ ...l, status: l.outcome, reason: l.reason ?? null }, l));
  return {
    run_id: args.runId,
    broker: args.broker,
    account: args.account,
    dry_run: false,
    status: args.status,
    reason: args.reason ?? null,
    results: [...worked, ...(args.blocked ?? []).map(blockedLeg)].sort((a, b) => a.leg - b.leg),
    skipped: (args.skipped ?? []).map(skippedJson),
    notes: args.notes ?? [],
  };
}

/**
 * The `--json` result of a plan that was checked and not worked: `check`, a dry run, a run the
 * pre-trade checks blocked (with the error), or one declined at the prompt. Each leg is
 * `planned`, or `blocked` with the checks' reasons; `risk` has every leg's verdict and reasons
 * and the run's own; the plan follows in full.
 */
export function checkedRunJson(args: { runId: string; broker: string; account: string; dryRun: boolean; status: string; reason: string | null; plan: Plan; checked: PlanRiskResult }) {
  const verdicts = new Map(args.checked.legs.map((l) => [l.leg, l]));
  const results = args.plan.legs.map((l) => {
    const v = verdicts.get(l.index);
    const blocked = v?.verdict === 'block';
    return resultLeg({ ...l, leg: l.index, status: blocked ? 'blocked' : 'planned', reason: blocked ? blockedReason({ reasons: v.reasons.filter((r) => r.level === 'block') }) : l.notes.join('; ') || null });
  });
  const reasonJson = (r: RiskReason) => ({ rule: r.rule, level: r.level, message: r.message });
  return {
    run_id: args.runId,
    broker: args.broker,
    account: args.account,
    dry_run: args.dryRun,
    status: args.status,
    reason: args.reason,
    results,
    skipped: args.plan.skipped.map(skippedJson),
    notes: args.plan.notes,
    risk: {
      verdict: args.checked.verdict,
      legs: args.checked.legs.map((l) => ({ leg: l.leg, symbol: l.symbol, exchange: l.exchange, side: l.side, verdict: l.verdict, reasons: l.reasons.map(reasonJson) })),
      run: args.checked.run.map(reasonJson),
    },
    plan: planJson(args.plan),
  };
}

/** `checkedRunJson` of a plan the rebalance service checked. */
export function checkedPlanJson(checked: CheckedPlan, broker: { id: string; account: string }, status: string, reason: string | null) {
  return checkedRunJson({ runId: checked.runId, broker: broker.id, account: broker.account, dryRun: checked.request.dryRun, status, reason, plan: checked.plan, checked: checked.risk });
}

const OUTCOME_COLUMNS: Column[] = [
  { header: 'symbol' },
  { header: 'side' },
  { header: 'quantity', align: 'right' },
  { header: 'filled', align: 'right' },
  { header: 'avg price', align: 'right', priority: 2 },
  { header: 'status' },
  { header: 'reason', truncate: true, minWidth: 12, priority: 1 },
];

export function renderOutcome(out: Output, runId: string, outcome: RebalanceOutcome): void {
  const traded = outcome.legs.map((l) => ({
    leg: l.leg,
    row: [
      `${l.exchange}:${l.symbol}`,
      l.side,
      l.quantity,
      l.filled,
      l.filled ? formatMinor(Math.round(l.averagePrice)) : '-',
      l.outcome === 'complete' ? out.c.green(l.outcome) : l.outcome === 'partial' ? out.c.yellow(l.outcome) : out.c.red(l.outcome),
      l.outcome === 'complete' ? '' : (l.reason ?? ''),
    ],
  }));
  const blocked = outcome.blocked.map((b) => ({ leg: b.leg, row: [`${b.exchange}:${b.symbol}`, b.side, b.quantity, 0, '-', out.c.red('blocked'), blockedReason(b)] }));
  const rows = [...traded, ...blocked].sort((a, b) => a.leg - b.leg).map((r) => r.row);
  if (rows.length) out.table(OUTCOME_COLUMNS, rows);
  for (const s of outcome.skipped.filter((x) => x.unmet)) out.data(`skipped ${s.exchange}:${s.symbol}: ${s.reason}`);
  const done = outcome.legs.filter((l) => l.outcome === 'complete').length;
  out.data('');
  out.data(`Run ${runId}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}; ${done}/${rows.length} legs complete.`);
  const protective = outcome.legs.flatMap((l) => l.protectiveOrders.filter((o) => !isTerminal(o.status)).map((o) => `${o.clientOrderId} (${l.symbol} ${o.role.replace('_', '-')})`));
  if (protective.length) out.paragraph(`Left working at the broker to protect what was bought: ${protective.join(', ')}. Their fills are recorded by \`ptexec orders sync\` and before the next rebalance.`);
}
