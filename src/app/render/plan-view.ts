import { formatMinor } from '../../domain/money.js';
import type { Leg, Plan, SkippedLine } from '../../domain/plan.js';
import { money, price } from './json-contract.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';
import { orderLabel } from '../../engine/planner/leg-order.js';
import type { CheckedPlan } from '../../engine/rebalance/checked-plan.js';

/** Per-leg risk verdicts shown beside the plan, when the risk gate ran. */
export interface LegVerdict {
  leg: number;
  verdict: 'pass' | 'warn' | 'block';
  reasons: { rule: string; level?: string; message: string }[];
}

/** A checked plan: which account and run, every leg with its verdict, the run's own reasons. */
export function renderCheckedPlan(out: Output, checked: CheckedPlan, broker: { id: string; account: string }): void {
  out.data(`${checked.request.dryRun ? 'Dry run' : 'Plan'} for ${broker.id} account ${broker.account} (run ${checked.runId})`);
  renderPlan(
    out,
    checked.plan,
    checked.risk.legs.map((l) => ({ leg: l.leg, verdict: l.verdict, reasons: l.reasons })),
  );
  for (const r of checked.risk.run) out.data(`  ${r.level === 'block' ? out.c.red('✗') : out.c.yellow('!')} run: ${r.message} [${r.rule}]`);
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

/** The plan as JSON (README "Output contract"): amounts with their `*_minor` twins, prices on the tick. */
export function planJson(plan: Plan) {
  const c = plan.currency;
  return {
    ...money('account_value', plan.accountValue, c),
    currency: c,
    ...money('cash_before', plan.cashBefore, c),
    ...money('estimated_cash_after', plan.estimatedCashAfter, c),
    legs: plan.legs.map((l) => planLegJson(l, c)),
    skipped: plan.skipped.map(skippedJson),
    notes: plan.notes,
  };
}

export function planLegJson(l: Leg, currency?: string) {
  return {
    leg: l.index,
    symbol: l.symbol,
    exchange: l.exchange,
    side: l.side,
    quantity: l.quantity,
    current: l.current,
    target: l.target,
    estimated_price: price(l.estimatedPrice, currency),
    ...money('estimated_value', l.estimatedValue, currency),
    ...money('estimated_charges', l.estimatedCharges, currency),
    decision_price: price(l.decisionPrice, currency),
    limit_price: price(l.limitPrice, currency),
    algo: l.execution.algo,
    order_type: l.execution.orderType,
    order_class: l.execution.orderClass ?? null,
    stop_price: price(l.execution.triggerPrice, currency),
    take_profit: price(l.execution.takeProfit?.limitPrice, currency),
    stop_loss: price(l.execution.stopLoss?.triggerPrice, currency),
    stop_loss_limit: price(l.execution.stopLoss?.limitPrice, currency),
    notes: l.notes,
  };
}

/** A line of the target that is not traded, and why. */
export function skippedJson(s: Pick<SkippedLine, 'symbol' | 'exchange' | 'reason'>) {
  return { symbol: s.symbol, exchange: s.exchange, reason: s.reason };
}
