import { formatMinor } from '../../domain/money.js';
import type { CheckedPlan } from '../../engine/rebalance/checked-plan.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';
import { money } from '../render/json-contract.js';
import type { GroupReason, GroupTotals } from './group-check.js';
import type { Unrouted } from './route-input.js';

/** One account's checked plan in a group, with what the plan shows of it. */
export interface AccountPlanView {
  alias: string;
  broker: { id: string; account: string };
  checked: CheckedPlan;
}

export interface GroupPlanView {
  groupId: string;
  mode: 'consolidated' | 'per-account';
  dryRun: boolean;
  accounts: readonly AccountPlanView[];
  unrouted: readonly Unrouted[];
  totals: readonly GroupTotals[];
  reasons: readonly GroupReason[];
  /** Lines the group's plan did not trade, and its notes (consolidated targets). */
  skipped: readonly { symbol: string; exchange: string; reason: string }[];
  notes: readonly string[];
}

const COLUMNS: Column[] = [
  { header: 'account' },
  { header: 'run', priority: 2 },
  { header: 'symbol' },
  { header: 'current', align: 'right', priority: 3 },
  { header: 'target', align: 'right', priority: 4 },
  { header: 'delta', align: 'right' },
  { header: 'est. value', align: 'right', priority: 5 },
  { header: 'risk' },
  { header: 'why', truncate: true, minWidth: 12, priority: 1 },
];

/** The group's plan: every account's legs grouped by account, with the router's reason per leg, then the group's totals per currency and its checks. */
export function renderGroupPlan(out: Output, view: GroupPlanView): void {
  out.data(`${view.dryRun ? 'Dry run' : 'Plan'} for group ${view.groupId} (${view.mode === 'consolidated' ? 'consolidated target, routed' : 'per-account target'}): ${view.accounts.map((a) => `${a.alias} = ${a.broker.id} ${a.broker.account}`).join(', ')}`);
  const rows = view.accounts.flatMap((a) => {
    const verdicts = new Map(a.checked.risk.legs.map((l) => [l.leg, l.verdict]));
    return a.checked.plan.legs.map((l) => {
      const v = verdicts.get(l.index);
      return [a.alias, a.checked.runId, `${l.exchange}:${l.symbol}`, l.current, l.target, (l.side === 'buy' ? '+' : '-') + l.quantity, formatMinor(l.estimatedValue), v === 'block' ? out.c.red('BLOCK') : v === 'warn' ? out.c.yellow('warn') : out.c.green('pass'), whyOf(a.checked, l.symbol, l.side)];
    });
  });
  if (rows.length) out.table(COLUMNS, rows);
  else out.data('Nothing to trade: the accounts already match the target.');
  for (const a of view.accounts) {
    for (const v of a.checked.risk.legs) for (const r of v.reasons) if (v.verdict !== 'pass') out.paragraph(`  ${v.verdict === 'block' ? out.c.red('✗') : out.c.yellow('!')} ${a.alias} ${v.symbol}: ${r.message} [${r.rule}]`);
    for (const r of a.checked.risk.run) out.paragraph(`  ${r.level === 'block' ? out.c.red('✗') : out.c.yellow('!')} ${a.alias} run: ${r.message} [${r.rule}]`);
  }
  for (const r of view.reasons) out.paragraph(`  ${out.c.red('✗')} group: ${r.message} [${r.rule}]`);
  for (const u of view.unrouted) out.paragraph(out.c.yellow(`not routed ${u.exchange}:${u.symbol} ${u.side} ${u.quantity}: ${u.why}`));
  out.data('');
  for (const t of view.totals) {
    out.paragraph(`Group ${t.currency}: ${t.accounts} account${t.accounts === 1 ? '' : 's'} worth ${formatMinor(t.value)}; ${t.legs} leg${t.legs === 1 ? '' : 's'}; sells ${formatMinor(t.sells)}, buys ${formatMinor(t.buys)}, charges about ${formatMinor(t.charges)}`);
  }
  for (const n of view.notes) out.paragraph(`note: ${n}`);
  for (const s of view.skipped) out.paragraph(out.c.dim(`skipped ${s.exchange}:${s.symbol}: ${s.reason}`));
}

/** The router's reason for this account's leg, as recorded with the run. */
export function whyOf(checked: CheckedPlan, symbol: string, side: string): string {
  return checked.request.group?.routes.find((r) => r.symbol === symbol && r.side === side)?.why ?? 'per-account target line';
}

/** The group's totals and checks as JSON (README "Rebalancing several accounts"). */
export function groupTotalsJson(totals: readonly GroupTotals[]) {
  return totals.map((t) => ({
    currency: t.currency,
    accounts: t.accounts,
    legs: t.legs,
    ...money('value', t.value, t.currency),
    ...money('buys', t.buys, t.currency),
    ...money('sells', t.sells, t.currency),
    ...money('charges', t.charges, t.currency),
  }));
}

export function unroutedJson(unrouted: readonly Unrouted[]) {
  return unrouted.map((u) => ({ symbol: u.symbol, exchange: u.exchange, side: u.side, quantity: u.quantity, why: u.why }));
}
