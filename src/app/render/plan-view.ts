import { formatMinor } from '../../domain/money.js';
import type { Plan } from '../../domain/plan.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';
import { orderLabel } from '../../engine/planner/leg-order.js';

/** Per-leg risk verdicts shown beside the plan, when the risk gate ran. */
export interface LegVerdict {
  leg: number;
  verdict: 'pass' | 'warn' | 'block';
  reasons: { rule: string; level?: string; message: string }[];
}

export function renderPlan(out: Output, plan: Plan, verdicts?: LegVerdict[]): void {
  const byLeg = new Map(verdicts?.map((v) => [v.leg, v]));
  const columns: Column[] = [
    { header: '#', align: 'right' },
    { header: 'symbol' },
    { header: 'current', align: 'right', priority: 1 },
    { header: 'target', align: 'right', priority: 3 },
    { header: 'delta', align: 'right' },
    { header: 'side' },
    { header: 'est. price', align: 'right', priority: 4 },
    { header: 'est. value', align: 'right', priority: 6 },
    { header: 'est. charges', align: 'right', priority: 2 },
    { header: 'algo', truncate: true, minWidth: 6, priority: 5 },
  ];
  if (verdicts) columns.push({ header: 'risk' });
  const rows = plan.legs.map((l) => {
    const row: (string | number)[] = [
      l.index,
      `${l.exchange}:${l.symbol}`,
      l.current,
      l.target,
      (l.side === 'buy' ? '+' : '-') + l.quantity,
      l.side === 'buy' ? out.c.green('BUY') : out.c.red('SELL'),
      formatMinor(l.estimatedPrice),
      formatMinor(l.estimatedValue),
      l.estimatedCharges === undefined ? '-' : formatMinor(l.estimatedCharges),
      orderLabel(l.execution),
    ];
    if (verdicts) {
      const v = byLeg.get(l.index);
      row.push(!v ? '' : v.verdict === 'pass' ? out.c.green('pass') : v.verdict === 'warn' ? out.c.yellow('warn') : out.c.red('BLOCK'));
    }
    return row;
  });
  if (rows.length) out.table(columns, rows);
  else out.data('Nothing to trade: the account already matches the target.');
  for (const v of verdicts ?? []) {
    for (const r of v.reasons) {
      if (v.verdict === 'pass' && r.level !== 'warn') continue;
      const leg = plan.legs.find((l) => l.index === v.leg);
      out.paragraph(`  ${r.level === 'block' || v.verdict === 'block' ? out.c.red('✗') : out.c.yellow('!')} ${leg ? leg.symbol : `leg ${v.leg}`}: ${r.message} [${r.rule}]`);
    }
  }
  const buys = plan.legs.filter((l) => l.side === 'buy').reduce((s, l) => s + l.estimatedValue, 0);
  const sells = plan.legs.filter((l) => l.side === 'sell').reduce((s, l) => s + l.estimatedValue, 0);
  const charges = plan.legs.reduce((s, l) => s + (l.estimatedCharges ?? 0), 0);
  out.data('');
  out.paragraph(
    `Account value ${formatMinor(plan.accountValue)} ${plan.currency}; sells ${formatMinor(sells)}, buys ${formatMinor(buys)}, charges about ${formatMinor(charges)}; cash ${formatMinor(plan.cashBefore)} → about ${formatMinor(plan.estimatedCashAfter)}`,
  );
  for (const note of plan.notes) out.paragraph(`note: ${note}`);
  for (const s of plan.skipped) out.paragraph(out.c.dim(`skipped ${s.exchange}:${s.symbol}: ${s.reason}`));
}

/** Plan legs as JSON (snake_case, minor units converted to decimals for readability). */
export function planJson(plan: Plan) {
  return {
    account_value: formatMinor(plan.accountValue),
    currency: plan.currency,
    cash_before: formatMinor(plan.cashBefore),
    estimated_cash_after: formatMinor(plan.estimatedCashAfter),
    legs: plan.legs.map((l) => ({
      leg: l.index,
      symbol: l.symbol,
      exchange: l.exchange,
      side: l.side,
      quantity: l.quantity,
      current: l.current,
      target: l.target,
      estimated_price: formatMinor(l.estimatedPrice),
      estimated_value: formatMinor(l.estimatedValue),
      estimated_charges: l.estimatedCharges === undefined ? null : formatMinor(l.estimatedCharges),
      decision_price: formatMinor(l.decisionPrice),
      limit_price: l.limitPrice === undefined ? null : formatMinor(l.limitPrice),
      algo: l.execution.algo,
      order_type: l.execution.orderType,
      order_class: l.execution.orderClass ?? null,
      stop_price: l.execution.triggerPrice === undefined ? null : formatMinor(l.execution.triggerPrice),
      take_profit: l.execution.takeProfit ? formatMinor(l.execution.takeProfit.limitPrice) : null,
      stop_loss: l.execution.stopLoss ? formatMinor(l.execution.stopLoss.triggerPrice) : null,
      stop_loss_limit: l.execution.stopLoss?.limitPrice === undefined ? null : formatMinor(l.execution.stopLoss.limitPrice),
      notes: l.notes,
    })),
    skipped: plan.skipped,
    notes: plan.notes,
  };
}
