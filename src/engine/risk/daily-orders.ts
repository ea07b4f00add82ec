import type { Leg, Plan } from '../../domain/plan.js';
import { DEFAULT_SLICES } from '../algos/slicing-params.js';
import type { OrderHistory, RiskReason } from './types.js';

/** What the daily order limit needs to know: the broker's published limit and what was sent today. */
export interface DailyOrders {
  /** The most orders the broker accepts from one account in a day (Kite: 5,000). */
  perDay: number;
  /** Orders of the account already sent on the plan's trading day, by any run. */
  sentToday: number;
}

/** The daily limit of a broker that publishes one (none otherwise), with what the account sent on the plan's day. */
export function dailyOrdersFor(
  perDay: number | undefined,
  history: OrderHistory | undefined,
  account: { broker: string; account: string; tradingDate: string },
): DailyOrders | undefined {
  if (perDay === undefined) return undefined;
  return { perDay, sentToday: history?.ordersSentOn?.(account) ?? 0 };
}

/**
 * The fewest orders a leg sends: one, or one per slice for the algorithms that slice on a
 * schedule (no more slices than shares). A lower bound: retries, clean-ups and refills add more.
 */
export function minimumOrders(leg: Leg): number {
  const { algo, params } = leg.execution;
  if (algo !== 'twap' && algo !== 'vwap') return 1;
  const slices = Number(params['slices'] ?? DEFAULT_SLICES);
  return Math.max(1, Math.min(Number.isFinite(slices) ? Math.floor(slices) : DEFAULT_SLICES, leg.quantity));
}

/**
 * A broker that takes only so many orders a day refuses the rest of a run part-way, after some
 * legs have traded: legs that cannot all be sent today are blocked before anything is, in plan
 * order, with what is left and how to fit.
 */
export function applyDailyOrderLimit(plan: Plan, daily: DailyOrders, reasons: RiskReason[][], standing: (i: number) => boolean, run: RiskReason[], legList: (indices: number[]) => string): void {
  const left = Math.max(0, daily.perDay - daily.sentToday);
  const sentToday = daily.sentToday > 0 ? `, ${daily.sentToday} already sent today` : '';
  let used = 0;
  let needed = 0;
  const over: number[] = [];
  for (let i = 0; i < plan.legs.length; i++) {
    if (!standing(i)) continue;
    const orders = minimumOrders(plan.legs[i]!);
    needed += orders;
    if (used + orders > left) {
      reasons[i]!.push({ rule: 'daily_orders', level: 'block', message: `the broker takes ${daily.perDay} orders a day${sentToday}: this leg's ${orders} would go past it` });
      over.push(i);
      continue;
    }
    used += orders;
  }
  if (!over.length) return;
  run.push({
    rule: 'daily_orders',
    level: 'block',
    message: `the plan sends at least ${needed} orders; the broker takes ${daily.perDay} a day${sentToday}, so ${left} are left: legs ${legList(over)} blocked. Split the target over trading days, or use fewer slices`,
  });
}
