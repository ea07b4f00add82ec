import { formatMoney, toMinor, type Currency } from '../../domain/money.js';
import type { Plan } from '../../domain/plan.js';
import type { RiskConfig } from '../../engine/risk/config.js';

/** One group-level limit a group rebalance breaks: the rule, in the risk config's terms. */
export interface GroupReason {
  rule: 'group_turnover' | 'group_orders';
  currency?: Currency;
  message: string;
}

/** What the group trades in one currency: its accounts' legs summed (never a sum over currencies). */
export interface GroupTotals {
  currency: Currency;
  accounts: number;
  legs: number;
  buys: number;
  sells: number;
  charges: number;
  /** The accounts' value together, minor units. */
  value: number;
}

/** Totals per currency over the accounts' checked plans, in the order the currencies first appear. */
export function groupTotals(plans: readonly Pick<Plan, 'currency' | 'legs' | 'accountValue'>[]): GroupTotals[] {
  const out = new Map<Currency, GroupTotals>();
  for (const plan of plans) {
    const currency = plan.currency as Currency;
    const t = out.get(currency) ?? { currency, accounts: 0, legs: 0, buys: 0, sells: 0, charges: 0, value: 0 };
    t.accounts += 1;
    t.legs += plan.legs.length;
    t.value += plan.accountValue;
    for (const l of plan.legs) {
      if (l.side === 'buy') t.buys += l.estimatedValue;
      else t.sells += l.estimatedValue;
      t.charges += l.estimatedCharges ?? 0;
    }
    out.set(currency, t);
  }
  return [...out.values()];
}

/**
 * The group's own limits, on top of each account's run checks: the run limits of the risk config
 * (`risk.run.max_turnover_value`, `risk.run.max_turnover_pct`, `risk.run.max_orders`) applied to
 * the group as a whole — its gross traded value per currency against the value limit and against
 * the percentage of the group's value in that currency, and its orders over all accounts — so
 * that splitting a trade across accounts never trades more than one run on one account could.
 */
export function checkGroup(totals: readonly GroupTotals[], config: Pick<RiskConfig, 'run'>): GroupReason[] {
  const limits = config.run;
  const reasons: GroupReason[] = [];
  for (const t of totals) {
    const gross = t.buys + t.sells;
    const maxValue = limits.max_turnover_value !== null ? toMinor(limits.max_turnover_value) : Infinity;
    const maxPct = limits.max_turnover_pct !== null ? (limits.max_turnover_pct * t.value) / 100 : Infinity;
    if (gross > Math.min(maxValue, maxPct)) {
      const which = maxValue <= maxPct ? 'risk.run.max_turnover_value' : `${limits.max_turnover_pct}% of the group's value, risk.run.max_turnover_pct`;
      reasons.push({ rule: 'group_turnover', currency: t.currency, message: `the group's gross traded value ${formatMoney(gross, t.currency)} is over the maximum ${formatMoney(Math.floor(Math.min(maxValue, maxPct)), t.currency)} (${which})` });
    }
  }
  const orders = totals.reduce((s, t) => s + t.legs, 0);
  if (limits.max_orders !== null && orders > limits.max_orders) {
    reasons.push({ rule: 'group_orders', message: `the group has ${orders} legs over its accounts, over risk.run.max_orders (${limits.max_orders})` });
  }
  return reasons;
}
