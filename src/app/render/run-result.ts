import { formatMinor } from '../../domain/money.js';
import { isTerminal } from '../../domain/order.js';
import type { Plan } from '../../domain/plan.js';
import type { LegResult, RunOutcome } from '../../engine/runtime/execution-runtime.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';

/**
 * The `--json` result of a rebalance. `results` keeps the original service's per-leg shape
 * (`symbol`, `quantity`, `side`, `status`, `reason`) and adds ptexec's richer fields.
 */
export function runResultJson(args: { runId: string; broker: string; account: string; dryRun: boolean; status: string; reason?: string; plan?: Plan; legs: LegResult[] | Plan['legs']; verdicts?: unknown }) {
  const results = args.legs.map((l) =>
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
  return {
    run_id: args.runId,
    broker: args.broker,
    account: args.account,
    dry_run: args.dryRun,
    status: args.status,
    reason: args.reason ?? null,
    results,
    skipped: args.plan?.skipped ?? [],
    notes: args.plan?.notes ?? [],
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

export function renderOutcome(out: Output, runId: string, outcome: RunOutcome): void {
  const rows = outcome.legs.map((l) => [
    `${l.exchange}:${l.symbol}`,
    l.side,
    l.quantity,
    l.filled,
    l.filled ? formatMinor(Math.round(l.averagePrice)) : '-',
    l.outcome === 'complete' ? out.c.green(l.outcome) : l.outcome === 'partial' ? out.c.yellow(l.outcome) : out.c.red(l.outcome),
    l.outcome === 'complete' ? '' : (l.reason ?? ''),
  ]);
  if (rows.length) out.table(OUTCOME_COLUMNS, rows);
  const done = outcome.legs.filter((l) => l.outcome === 'complete').length;
  out.data('');
  out.data(`Run ${runId}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}; ${done}/${outcome.legs.length} legs complete.`);
  const protective = outcome.legs.flatMap((l) => l.protectiveOrders.filter((o) => !isTerminal(o.status)).map((o) => `${o.clientOrderId} (${l.symbol} ${o.role.replace('_', '-')})`));
  if (protective.length) out.paragraph(`Left working at the broker to protect what was bought: ${protective.join(', ')}. Their fills are recorded by \`ptexec orders sync\` and before the next rebalance.`);
}
