import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { TargetParseError, type TargetIssue } from '../../domain/errors/target-parse-error.js';
import { fieldOf } from '../../domain/input-issue.js';
import type { ExecutionSpec, Leg, Plan } from '../../domain/plan.js';
import type { Side } from '../../domain/side.js';
import type { TargetPosition } from '../../domain/target-portfolio.js';
import type { Draft } from './drafts.js';
import { conditionalEstimatedPrice, legOrderProblems, namedOrderExecution } from './leg-order.js';
import { buildAlgorithm, lineProblems, type LineProblem } from './line-checks.js';
import type { PlanOptions } from './plan-rebalance.js';

export type DraftLeg = Omit<Leg, 'index'>;

/** The legs of the drafts that trade, and what each line's own order fields got wrong. */
export interface DraftLegs {
  legs: DraftLeg[];
  legOf: Map<Draft, DraftLeg>;
  orderProblems: Map<TargetPosition, LineProblem[]>;
}

/**
 * A leg per draft that has something to trade: target − current rounded down to lots, skipped
 * (with the reason, into `skipped`) when already at target, under a lot, under
 * `minTradeValue`, or inside the no-trade band.
 */
export function legsFromDrafts(drafts: readonly Draft[], options: PlanOptions, accountValue: number, skipped: Plan['skipped']): DraftLegs {
  const out: DraftLegs = { legs: [], legOf: new Map(), orderProblems: new Map() };
  for (const d of drafts) {
    const { instrument, quote, position } = d;
    const raw = d.target - d.current;
    const lot = instrument.lotSize;
    const quantity = Math.floor(Math.abs(raw) / lot) * lot;
    const symbolRef = { symbol: instrument.symbol, exchange: instrument.exchange };
    if (raw === 0) {
      skipped.push({ ...symbolRef, reason: d.heldBecause ?? 'already at target' });
      continue;
    }
    if (quantity === 0) {
      skipped.push({ ...symbolRef, reason: `difference of ${Math.abs(raw)} is less than one lot of ${lot}` });
      continue;
    }
    const side: Side = raw > 0 ? 'buy' : 'sell';
    const limitPrice = position?.limitPrice;
    const { execution, reason } = resolveAuto(executionFor(position, options.defaultExecution), d, quantity, options);
    const estimatedPrice = conditionalEstimatedPrice(execution) ?? limitPrice ?? (side === 'buy' ? quote.ask : quote.bid);
    const estimatedValue = quantity * estimatedPrice;
    if (options.minTradeValue !== undefined && estimatedValue < options.minTradeValue) {
      skipped.push({ ...symbolRef, reason: `value below --min-trade-value` });
      continue;
    }
    if (options.bandPct !== undefined && accountValue > 0 && (estimatedValue / accountValue) * 100 < options.bandPct) {
      skipped.push({ ...symbolRef, reason: `inside the no-trade band of ${options.bandPct}% of account value` });
      continue;
    }
    const notes = [...d.notes];
    if (quantity !== Math.abs(raw)) notes.push(`rounded to lot size ${lot}`);
    const namesItsOrder = position !== undefined && namedOrderExecution(position, options.defaultExecution) !== undefined;
    if (namesItsOrder && position?.algo === undefined && execution.algo !== options.defaultExecution.algo) {
      notes.push(`sent as one order (its order_type or exits): the run's algorithm ${options.defaultExecution.algo} does not apply`);
    }
    if (position) out.orderProblems.set(position, legOrderProblems(execution, { symbol: instrument.symbol, side, quantity, current: d.current, target: d.target, instrument, quote }));
    const leg: DraftLeg = {
      ...symbolRef,
      side,
      quantity,
      current: d.current,
      target: d.target,
      decisionPrice: position?.decisionPrice ?? quote.last,
      estimatedPrice,
      estimatedValue,
      limitPrice,
      execution,
      notes,
      ...(reason ? { algoReason: reason } : {}),
    };
    out.legs.push(leg);
    out.legOf.set(d, leg);
  }
  return out;
}

/**
 * Every line is checked, traded or not; the side and the market only matter once its own fields
 * are right. Every problem at once, in file order, located like the parser's.
 */
export function checkLines(drafts: readonly Draft[], { legOf, orderProblems }: DraftLegs, options: PlanOptions, takenAt: number): void {
  const orderIssues: TargetIssue[] = [];
  for (const d of drafts) {
    const position = d.position;
    if (!position) {
      // A holding sold by --liquidate-unlisted: the run's algorithm, checked for its instrument.
      const leg = legOf.get(d);
      if (leg) buildAlgorithm(leg, d.instrument, takenAt);
      continue;
    }
    const leg = legOf.get(d) ?? oneLotLeg(d, position, resolveAuto(executionFor(position, options.defaultExecution), d, d.instrument.lotSize, options).execution);
    const found = lineProblems(position, leg, d.instrument, takenAt);
    for (const p of found.length ? found : (orderProblems.get(position) ?? [])) {
      orderIssues.push({ ...fieldOf(position.place, p.field), message: p.message });
    }
  }
  if (orderIssues.length) throw new TargetParseError('target file', orderIssues);
}

/** The leg a line with nothing to trade would have for one lot: what its algorithm is checked with. */
function oneLotLeg(d: Draft, position: TargetPosition, execution: ExecutionSpec): DraftLeg {
  const { instrument, quote } = d;
  const quantity = instrument.lotSize;
  return {
    symbol: instrument.symbol,
    exchange: instrument.exchange,
    side: 'buy',
    quantity,
    current: d.current,
    target: d.target,
    decisionPrice: position.decisionPrice ?? quote.last,
    estimatedPrice: quote.ask,
    estimatedValue: quantity * quote.ask,
    limitPrice: position.limitPrice,
    execution,
    notes: [],
  };
}

/** The algorithm word that asks for a choice per leg (README "`--algo auto`"). */
export const AUTO_ALGO = 'auto';

/** A leg asking for `auto` gets the chosen algorithm and the reason; any other keeps its own. */
function resolveAuto(execution: ExecutionSpec, d: Draft, quantity: number, options: PlanOptions): { execution: ExecutionSpec; reason?: string } {
  if (execution.algo !== AUTO_ALGO) return { execution };
  if (!options.chooseAlgorithm) throw new InvalidInputError('--algo auto needs market facts to choose from, and this plan has none', 'name an algorithm (--algo twap, …)');
  const chosen = options.chooseAlgorithm(d.instrument, d.quote, quantity, execution.params);
  let spec: ExecutionSpec = { ...chosen.execution, limitPrice: execution.limitPrice, afterMarket: execution.afterMarket };
  // A line's limit price holds whatever is chosen: a market order would ignore it.
  if (spec.limitPrice !== undefined && spec.algo === 'market') spec = { ...spec, algo: 'limit', orderType: 'limit' };
  if (spec.limitPrice === undefined) delete spec.limitPrice;
  if (!spec.afterMarket) delete spec.afterMarket;
  return { execution: spec, reason: chosen.reason };
}

function executionFor(position: TargetPosition | undefined, fallback: ExecutionSpec): ExecutionSpec {
  const spec = ownExecution(position, fallback);
  // After-market is the run's choice (`--amo`), whatever a line names.
  return fallback.afterMarket ? { ...spec, afterMarket: true } : spec;
}

function ownExecution(position: TargetPosition | undefined, fallback: ExecutionSpec): ExecutionSpec {
  const named = position && namedOrderExecution(position, fallback);
  if (named) return named;
  const algo = position?.algo ?? (position?.limitPrice !== undefined && fallback.algo === 'market' ? 'limit' : fallback.algo);
  const params = { ...fallback.params, ...(position?.algoParams ?? {}) };
  const limitPrice = position?.limitPrice ?? fallback.limitPrice;
  return { algo, orderType: algo === 'market' ? 'market' : 'limit', limitPrice, params };
}
