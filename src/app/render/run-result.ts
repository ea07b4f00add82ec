import { formatMinor } from '../../domain/money.js';
import { isTerminal } from '../../domain/order.js';
import type { BlockedLeg, Plan, SkippedLine } from '../../domain/plan.js';
import type { RebalanceOutcome } from '../../engine/rebalance/rebalance-service.js';
import type { LegResult } from '../../engine/runtime/execution-runtime.js';
import { ExitCode, type ExitCodeValue } from '../../lib/exit-codes.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';

/** A run's exit code (README "Exit codes"): only a run that did all that was asked exits 0. */
export function outcomeExitCode(status: RebalanceOutcome['status'], aborted = false): ExitCodeValue {
  if (status === 'completed') return ExitCode.ok;
  return status === 'interrupted' || aborted ? ExitCode.interrupted : ExitCode.incomplete;
}

const blockedReason = (b: BlockedLeg) => `blocked by the pre-trade checks: ${b.reasons.map((r) => `${r.message} [${r.rule}]`).join('; ')}`;

/**
 * The `--json` result of a rebalance. `results` keeps the original service's per-leg shape
 * (`symbol`, `quantity`, `side`, `status`, `reason`) and adds ptexec's richer fields.
 */
export function runResultJson(args: {
  runId: string;
  broker: string;
  account: string;
  dryRun: boolean;
  status: string;
  reason?: string;
  plan?: Plan;
  legs: LegResult[] | Plan['legs'];
  /** Legs left out by `--allow-partial`, and the plan's skipped lines (default: the plan's). */
  blocked?: BlockedLeg[];
  skipped?: SkippedLine[];
  notes?: string[];
  verdicts?: unknown;
}) {
  const traded = args.legs.map((l) =>
    'outcome' in l
      ? {
          symbol: l.symbol,
          quantity: l.quantity,
          side: l.side,
          status: l.outcome,
          reason: l.reason ?? null,
          exchange: l.exchange,
          leg: l.leg,
          filled_quantity: l.filled,
          average_price: l.filled ? formatMinor(Math.round(l.averagePrice)) : null,
          parent_order_id: l.parentId,
          client_order_ids: l.clientOrderIds,
          protective_orders: l.protectiveOrders.map((o) => ({ client_order_id: o.clientOrderId, role: o.role, status: o.status })),
        }
      : {
          symbol: l.symbol,
          quantity: l.quantity,
          side: l.side,
          status: 'planned',
          reason: l.notes.join('; ') || null,
          exchange: l.exchange,
          leg: l.index,
          filled_quantity: 0,
          average_price: null,
          parent_order_id: null,
          client_order_ids: [],
          protective_orders: [],
        },
  );
  const blocked = (args.blocked ?? []).map((b) => ({
    symbol: b.symbol,
    quantity: b.quantity,
    side: b.side,
    status: 'blocked',
    reason: blockedReason(b),
    exchange: b.exchange,
    leg: b.leg,
    filled_quantity: 0,
    average_price: null,
    parent_order_id: null,
    client_order_ids: [],
    protective_orders: [],
  }));
  const results = [...traded, ...blocked].sort((a, b) => a.leg - b.leg);
  return {
    run_id: args.runId,
    broker: args.broker,
    account: args.account,
    dry_run: args.dryRun,
    status: args.status,
    reason: args.reason ?? null,
    results,
    skipped: (args.skipped ?? args.plan?.skipped ?? []).map((s) => ({ symbol: s.symbol, exchange: s.exchange, reason: s.reason })),
    notes: args.notes ?? args.plan?.notes ?? [],
    ...(args.verdicts ? { risk: args.verdicts } : {}),
  };
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
