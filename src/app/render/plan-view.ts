import { formatMinor } from '../../domain/money.js';
import type { Leg, Plan, SkippedLine } from '../../domain/plan.js';
import type { LegCostEstimate, RunCostEstimate } from '../../domain/cost-estimate.js';
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
  const estimated = plan.legs.some((l) => l.estimate);
  if (estimated) columns.push(...ESTIMATE_COLUMNS);
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
    if (estimated) row.push(...estimateCells(l));
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
  if (plan.estimate) {
    const e = plan.estimate;
    out.paragraph(`Estimated cost ${formatMinor(e.costMinor)} ${plan.currency} (${e.costBps.toFixed(1)} bps ± ${e.stdBps.toFixed(1)} bps, one standard deviation) before charges`);
  }
  for (const l of plan.legs) if (l.algoReason) out.paragraph(`auto: ${l.symbol} ${orderLabel(l.execution)}: ${l.algoReason}`);
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
    estimate: plan.estimate ? runEstimateJson(plan.estimate, c) : null,
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
    estimate: l.estimate ? legEstimateJson(l.estimate, currency) : null,
    algo_reason: l.algoReason ?? null,
  };
}

/** A line of the target that is not traded, and why. */
export function skippedJson(s: Pick<SkippedLine, 'symbol' | 'exchange' | 'reason'>) {
  return { symbol: s.symbol, exchange: s.exchange, reason: s.reason };
}

/** The estimate's columns: least important first to go on a narrow terminal, the cost in bps last. */
const ESTIMATE_COLUMNS: Column[] = [
  { header: '% ADV', align: 'right', priority: 0 },
  { header: 'est. cost', align: 'right', priority: 1 },
  { header: 'cost bps ±1σ', align: 'right', priority: 7 },
];

function estimateCells(l: Leg): string[] {
  const e = l.estimate;
  if (!e) return ['-', '-', '-'];
  return [e.advPct === null ? '-' : e.advPct.toFixed(e.advPct < 0.1 ? 3 : 2), formatMinor(e.costMinor), `${e.costBps.toFixed(1)}±${e.stdBps.toFixed(1)}`];
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function legEstimateJson(e: LegCostEstimate, currency?: string) {
  return {
    adv_pct: e.advPct === null ? null : round(e.advPct, 4),
    horizon_volume_pct: e.horizonVolumePct === null ? null : round(e.horizonVolumePct, 4),
    horizon_seconds: Math.round(e.horizonMs / 1000),
    style: e.style ?? 'taking',
    half_spread_bps: round(e.halfSpreadBps),
    spread_cost_bps: round(e.spreadCostBps ?? e.halfSpreadBps),
    temporary_impact_bps: round(e.temporaryImpactBps),
    permanent_impact_bps: round(e.permanentImpactBps),
    cost_bps: round(e.costBps),
    ...money('cost', e.costMinor, currency),
    std_bps: round(e.stdBps),
    ...money('std', e.stdMinor, currency),
    defaulted: e.defaulted,
  };
}

export function runEstimateJson(e: RunCostEstimate, currency?: string) {
  return { cost_bps: round(e.costBps), ...money('cost', e.costMinor, currency), std_bps: round(e.stdBps), ...money('std', e.stdMinor, currency), ...money('value', e.valueMinor, currency) };
}
