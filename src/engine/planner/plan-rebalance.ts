import type { DriftBand } from '../../domain/drift-band.js';
import type { LegCostEstimate } from '../../domain/cost-estimate.js';
import { instrumentKey, type Instrument, type Quote } from '../../domain/instrument.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { AccountSnapshot, ExecutionSpec, Leg, Plan } from '../../domain/plan.js';
import type { Side } from '../../domain/side.js';
import type { TargetPortfolio } from '../../domain/target-portfolio.js';
import { applyBands } from './band-targets.js';
import { cashFlowTargets } from './cash-flow-targets.js';
import { checkLines, legsFromDrafts } from './draft-legs.js';
import { accountValueOf, draftTargets, draftUnlisted } from './drafts.js';
import { fundBuys } from './fund-buys.js';
import { bandsApply, lineDrifts } from './line-drift.js';
import { totalCost } from '../estimate/leg-estimate.js';

export interface PlanOptions {
  /** Execution used for legs whose target line names no algorithm. */
  defaultExecution: ExecutionSpec;
  /** Skip legs worth less than this (minor units). */
  minTradeValue?: number;
  /** Skip legs whose value is less than this percentage of the account value. */
  bandPct?: number;
  /**
   * The run's no-trade band (`--band`); lines' own bands win. With a band on any line, nothing
   * trades unless some line is outside its band (README "Drift and bands").
   */
  band?: DriftBand;
  /** With a band: move only the lines outside their band, to its nearest edge (`--to band`). */
  toBand?: boolean;
  /** `--cash-only`: invest (> 0) by buying only, or raise (< 0) by selling only, this much (minor units). */
  cashOnly?: number;
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
  /**
   * `--algo auto` (a run's default or a line's `algo`): the algorithm and horizon for a leg, and
   * why (src/engine/estimate/). Without it a leg naming `auto` is refused.
   */
  chooseAlgorithm?: (instrument: Instrument, quote: Quote, quantity: number, params: ExecutionSpec['params']) => { execution: ExecutionSpec; reason: string };
  /** The pre-trade cost estimate of a planned leg (README "Cost estimates"); no estimates without it. */
  estimateCost?: (leg: Leg, instrument: Instrument, quote: Quote) => LegCostEstimate | undefined;
}

/** What a band rebalance says when every line is inside its band. */
export const INSIDE_BANDS = 'inside bands, nothing to do';

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
  if (options.cashOnly !== undefined) cashFlowTargets(lineDrifts(drafts, accountValue, investable, undefined), options.cashOnly, accountValue);
  else if (bandsApply(target, options.band) && !applyBands(lineDrifts(drafts, accountValue, investable, options.band), accountValue, options.toBand ?? false)) {
    return { legs: [], skipped, notes: [INSIDE_BANDS], insideBands: true, accountValue, cashBefore: snapshot.funds.available, estimatedCashAfter: snapshot.funds.available, currency };
  }
  const drafted = legsFromDrafts(drafts, options, accountValue, skipped);
  checkLines(drafts, drafted, options, snapshot.takenAt);
  const { sells, buys, sellProceeds } = fundBuys(drafted.legs, snapshot, options, { accountValue, cashBufferPct: target.cashBufferPct }, notes, skipped);

  const indexed = [...sells, ...buys].map((l, index) => ({ ...l, index }));
  // Each instrument's first drafted leg, looked up by key (a search per leg made a plan quadratic).
  const draftedByKey = new Map<string, (typeof drafted.legs)[number]>();
  for (const d of drafted.legs) if (!draftedByKey.has(instrumentKey(d.exchange, d.symbol))) draftedByKey.set(instrumentKey(d.exchange, d.symbol), d);
  const draftedQuantity = new Map(indexed.map((l) => [l.index, draftedByKey.get(instrumentKey(l.exchange, l.symbol))?.quantity ?? l.quantity]));
  const ordered = withEstimates(indexed, snapshot, options, draftedQuantity);
  // Headroom is a reserve, not a cost: the estimate after the run counts only value and charges.
  const estimatedCashAfter = snapshot.funds.available + sellProceeds - buys.reduce((s, l) => s + l.estimatedValue + (l.estimatedCharges ?? 0), 0);
  const estimated = ordered.flatMap((l) => (l.estimate ? [{ estimate: l.estimate, value: l.quantity * l.decisionPrice }] : []));
  return { legs: ordered, skipped, notes, accountValue, cashBefore: snapshot.funds.available, estimatedCashAfter, currency, ...(estimated.length ? { estimate: totalCost(estimated) } : {}) };
}

/**
 * Each leg with its cost estimate, for the quantity it will trade: a buy scaled down to the cash
 * gets `--algo auto`'s choice again for its new size (the horizon the choice set is not kept).
 */
function withEstimates(legs: Leg[], snapshot: AccountSnapshot, options: PlanOptions, drafted: ReadonlyMap<number, number>): Leg[] {
  const { estimateCost, chooseAlgorithm } = options;
  return legs.map((leg) => {
    const key = instrumentKey(leg.exchange, leg.symbol);
    const instrument = snapshot.instruments.get(key);
    const quote = snapshot.quotes.get(key);
    if (!instrument || !quote) return leg;
    let l = leg;
    if (l.algoReason && chooseAlgorithm && drafted.get(l.index) !== l.quantity) {
      const given = Object.fromEntries(Object.entries(l.execution.params).filter(([k]) => !AUTO_CHOSEN_PARAMS.has(k)));
      const chosen = chooseAlgorithm(instrument, quote, l.quantity, given);
      l = { ...l, execution: { ...l.execution, ...chosen.execution, params: chosen.execution.params }, algoReason: chosen.reason };
    }
    const found = estimateCost?.(l, instrument, quote);
    return found ? { ...l, estimate: found } : l;
  });
}

/** The parameters `--algo auto` sets itself (auto-choice.ts). */
const AUTO_CHOSEN_PARAMS = new Set(['duration', 'slices', 'rate', 'cleanup']);
