import type { Instrument } from '../../domain/instrument.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { AccountSnapshot, ExecutionSpec, Plan } from '../../domain/plan.js';
import type { Side } from '../../domain/side.js';
import type { TargetPortfolio } from '../../domain/target-portfolio.js';
import { checkLines, legsFromDrafts } from './draft-legs.js';
import { accountValueOf, draftTargets, draftUnlisted } from './drafts.js';
import { fundBuys } from './fund-buys.js';

export interface PlanOptions {
  /** Execution used for legs whose target line names no algorithm. */
  defaultExecution: ExecutionSpec;
  /** Skip legs worth less than this (minor units). */
  minTradeValue?: number;
  /** Skip legs whose value is less than this percentage of the account value. */
  bandPct?: number;
  /** Sell holdings that the target does not list (off by default: they are left alone). */
  liquidateUnlisted?: boolean;
  /**
   * Headroom kept for buys without a limit price, as a percentage of their value: brokers block
   * more than the touch for market orders (market protection), so a plan that spends the last
   * rupee at the ask would see its last buy rejected. Default 0.5%.
   */
  marketBuyHeadroomPct?: number;
  /** Estimated charges of one order (minor units); zero when not given. */
  estimateCharges?: (side: Side, instrument: Instrument, quantity: number, price: number) => number;
}

/**
 * Turns a target portfolio and an account snapshot into legs: target − current, rounded to lots,
 * sells before buys, buys scaled down to the cash the sells free (less the buffer and charges),
 * with an optional no-trade band. Pure: the same inputs always give the same plan.
 */
export function planRebalance(target: TargetPortfolio, snapshot: AccountSnapshot, options: PlanOptions): Plan {
  const currency = snapshot.funds.currency;
  const owned = ownedInstruments(snapshot);
  const accountValue = accountValueOf(snapshot, owned);
  const investable = accountValue * (1 - target.cashBufferPct / 100);
  const skipped: Plan['skipped'] = [];
  const notes: string[] = [];

  const { drafts: listedDrafts, listed } = draftTargets(target, snapshot, owned, investable);
  const drafts = [...listedDrafts, ...draftUnlisted(snapshot, owned, listed, options.liquidateUnlisted, skipped)];
  const drafted = legsFromDrafts(drafts, options, accountValue, skipped);
  checkLines(drafts, drafted, options, snapshot.takenAt);
  const { sells, buys, sellProceeds } = fundBuys(drafted.legs, snapshot, options, { accountValue, cashBufferPct: target.cashBufferPct }, notes, skipped);

  const ordered = [...sells, ...buys].map((l, index) => ({ ...l, index }));
  // Headroom is a reserve, not a cost: the estimate after the run counts only value and charges.
  const estimatedCashAfter = snapshot.funds.available + sellProceeds - buys.reduce((s, l) => s + l.estimatedValue + (l.estimatedCharges ?? 0), 0);
  return { legs: ordered, skipped, notes, accountValue, cashBefore: snapshot.funds.available, estimatedCashAfter, currency };
}
