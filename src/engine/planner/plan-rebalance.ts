import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { formatMinor } from '../../domain/money.js';
import { instrumentKey, type Instrument, type Quote } from '../../domain/instrument.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { AccountSnapshot, ExecutionSpec, Leg, Plan } from '../../domain/plan.js';
import type { Side } from '../../domain/side.js';
import type { TargetPortfolio, TargetPosition } from '../../domain/target-portfolio.js';
import { fieldOf } from '../../domain/input-issue.js';
import { TargetParseError, type TargetIssue } from '../../domain/errors/target-parse-error.js';
import { conditionalEstimatedPrice, legOrderProblems, namedOrderExecution } from './leg-order.js';
import { buildAlgorithm, lineProblems, type LineProblem } from './line-checks.js';
import { findInstrument } from './snapshot.js';

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

interface Draft {
  instrument: Instrument;
  quote: Quote;
  current: number;
  target: number;
  position?: TargetPosition;
  notes: string[];
}

/**
 * Turns a target portfolio and an account snapshot into legs: target − current, rounded to lots,
 * sells before buys, buys scaled down to the cash the sells free (less the buffer and charges),
 * with an optional no-trade band. Pure: the same inputs always give the same plan.
 */
export function planRebalance(target: TargetPortfolio, snapshot: AccountSnapshot, options: PlanOptions): Plan {
  const currency = snapshot.funds.currency;
  const owned = ownedInstruments(snapshot);
  const priceOf = (i: Instrument) => snapshot.quotes.get(instrumentKey(i.exchange, i.symbol))!;

  let holdingsValue = 0;
  for (const [key, o] of owned) holdingsValue += o.quantity * (snapshot.quotes.get(key)?.last ?? o.lastPrice ?? o.averagePrice);
  const accountValue = Math.round(snapshot.funds.available + holdingsValue);
  const investable = accountValue * (1 - target.cashBufferPct / 100);

  const drafts: Draft[] = [];
  const skipped: Plan['skipped'] = [];
  const notes: string[] = [];
  const listed = new Set<string>();

  for (const position of target.positions) {
    const instrument = findInstrument(snapshot.instruments, position.symbol, position.exchange);
    if (!instrument) throw new InvalidInputError(`unknown symbol ${position.symbol} (${position.location})`, undefined, { issues: [{ ...fieldOf(position.place, 'symbol'), message: `unknown symbol ${position.symbol}` }], issuesInMessage: true });
    if (instrument.currency !== currency) {
      throw new InvalidInputError(
        `${instrument.exchange}:${instrument.symbol} trades in ${instrument.currency} but the account is in ${currency} (${position.location})`,
        'rebalance each currency with its own account and broker',
      );
    }
    const key = instrumentKey(instrument.exchange, instrument.symbol);
    listed.add(key);
    const quote = priceOf(instrument);
    const current = owned.get(key)?.quantity ?? 0;
    const refPrice = position.decisionPrice ?? quote.last;
    const lot = instrument.lotSize;
    let targetQty: number;
    switch (position.amount.kind) {
      case 'quantity':
        targetQty = position.amount.quantity;
        break;
      case 'weight':
        targetQty = Math.floor((position.amount.weight * investable) / refPrice / lot) * lot;
        break;
      case 'value':
        targetQty = Math.floor(position.amount.value / refPrice / lot) * lot;
        break;
    }
    drafts.push({ instrument, quote, current, target: targetQty, position, notes: [] });
  }

  for (const [key, o] of owned) {
    if (listed.has(key) || o.quantity === 0) continue;
    const instrument = snapshot.instruments.get(key);
    if (options.liquidateUnlisted && instrument) {
      drafts.push({ instrument, quote: priceOf(instrument), current: o.quantity, target: 0, notes: ['not in the target: sold (--liquidate-unlisted)'] });
    } else {
      skipped.push({ symbol: o.symbol, exchange: o.exchange, reason: 'held but not in the target: left as is (--liquidate-unlisted sells it)' });
    }
  }

  const legs: Omit<Leg, 'index'>[] = [];
  const legOf = new Map<Draft, Omit<Leg, 'index'>>();
  const orderProblems = new Map<TargetPosition, LineProblem[]>();
  for (const d of drafts) {
    const { instrument, quote, position } = d;
    const raw = d.target - d.current;
    const lot = instrument.lotSize;
    const quantity = Math.floor(Math.abs(raw) / lot) * lot;
    const symbolRef = { symbol: instrument.symbol, exchange: instrument.exchange };
    if (raw === 0) {
      skipped.push({ ...symbolRef, reason: 'already at target' });
      continue;
    }
    if (quantity === 0) {
      skipped.push({ ...symbolRef, reason: `difference of ${Math.abs(raw)} is less than one lot of ${lot}` });
      continue;
    }
    const side: Side = raw > 0 ? 'buy' : 'sell';
    const limitPrice = position?.limitPrice;
    const execution = executionFor(position, options.defaultExecution);
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
    if (position) orderProblems.set(position, legOrderProblems(execution, { symbol: instrument.symbol, side, quantity, current: d.current, target: d.target, instrument, quote }));
    const leg: Omit<Leg, 'index'> = {
      symbol: instrument.symbol,
      exchange: instrument.exchange,
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
    };
    legs.push(leg);
    legOf.set(d, leg);
  }
  // Every line is checked, traded or not; the side and the market only matter once its own
  // fields are right. Every problem at once, in file order, located like the parser's.
  const orderIssues: TargetIssue[] = [];
  for (const d of drafts) {
    const position = d.position;
    if (!position) {
      // A holding sold by --liquidate-unlisted: the run's algorithm, checked for its instrument.
      const leg = legOf.get(d);
      if (leg) buildAlgorithm(leg, d.instrument, snapshot.takenAt);
      continue;
    }
    const leg = legOf.get(d) ?? oneLotLeg(d, position, executionFor(position, options.defaultExecution));
    const found = lineProblems(position, leg, d.instrument, snapshot.takenAt);
    for (const p of found.length ? found : (orderProblems.get(position) ?? [])) {
      orderIssues.push({ ...fieldOf(position.place, p.field), message: p.message });
    }
  }
  if (orderIssues.length) throw new TargetParseError('target file', orderIssues);

  const headroom = (options.marketBuyHeadroomPct ?? 0.5) / 100;
  const charges = (side: Side, leg: Omit<Leg, 'index'>, qty: number) => {
    const instrument = findInstrument(snapshot.instruments, leg.symbol, leg.exchange)!;
    const fees = options.estimateCharges ? options.estimateCharges(side, instrument, qty, leg.estimatedPrice) : 0;
    const reserve = side === 'buy' && leg.limitPrice === undefined ? Math.ceil(qty * leg.estimatedPrice * headroom) : 0;
    return fees + reserve;
  };
  if (options.estimateCharges) {
    for (const l of legs) {
      const instrument = findInstrument(snapshot.instruments, l.symbol, l.exchange)!;
      l.estimatedCharges = options.estimateCharges(l.side, instrument, l.quantity, l.estimatedPrice);
    }
  }
  const sells = legs.filter((l) => l.side === 'sell').sort(bySymbol);
  const buys = legs.filter((l) => l.side === 'buy').sort(bySymbol);
  const sellProceeds = sells.reduce((s, l) => s + l.estimatedValue - charges('sell', l, l.quantity), 0);
  const buffer = Math.round((accountValue * target.cashBufferPct) / 100);
  const cashForBuys = snapshot.funds.available + sellProceeds - buffer;
  const buyCost = (list: Omit<Leg, 'index'>[]) => list.reduce((s, l) => s + l.estimatedValue + charges('buy', l, l.quantity), 0);

  let finalBuys = buys;
  const wanted = buyCost(buys);
  if (wanted > cashForBuys && buys.length) {
    finalBuys = scaleBuys(
      buys,
      Math.max(0, cashForBuys),
      snapshot,
      (l, q) => l.estimatedPrice * q + charges('buy', l, q),
      (l, q) => options.estimateCharges!('buy', findInstrument(snapshot.instruments, l.symbol, l.exchange)!, q, l.estimatedPrice),
    );
    const kept = finalBuys.reduce((s, l) => s + l.quantity, 0);
    notes.push(
      `buys need ${formatMinor(wanted)} ${currency} but ${formatMinor(Math.max(0, cashForBuys))} is available after sells${buffer ? ', charges and the cash buffer' : ' and charges'}: buys scaled down to fit${kept === 0 ? ' (none left)' : ''}`,
    );
    const keptKeys = new Set(finalBuys.map((l) => instrumentKey(l.exchange, l.symbol)));
    for (const l of buys) if (!keptKeys.has(instrumentKey(l.exchange, l.symbol))) skipped.push({ symbol: l.symbol, exchange: l.exchange, reason: 'dropped: not enough cash after scaling', unmet: true });
  }

  const ordered = [...sells, ...finalBuys].map((l, index) => ({ ...l, index }));
  // Headroom is a reserve, not a cost: the estimate after the run counts only value and charges.
  const estimatedCashAfter = snapshot.funds.available + sellProceeds - finalBuys.reduce((s, l) => s + l.estimatedValue + (l.estimatedCharges ?? 0), 0);
  return { legs: ordered, skipped, notes, accountValue, cashBefore: snapshot.funds.available, estimatedCashAfter, currency };
}

/** The leg a line with nothing to trade would have for one lot: what its algorithm is checked with. */
function oneLotLeg(d: Draft, position: TargetPosition, execution: ExecutionSpec): Omit<Leg, 'index'> {
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

function executionFor(position: TargetPosition | undefined, fallback: ExecutionSpec): ExecutionSpec {
  const named = position && namedOrderExecution(position, fallback);
  if (named) return named;
  const algo = position?.algo ?? (position?.limitPrice !== undefined && fallback.algo === 'market' ? 'limit' : fallback.algo);
  const params = { ...fallback.params, ...(position?.algoParams ?? {}) };
  const limitPrice = position?.limitPrice ?? fallback.limitPrice;
  return { algo, orderType: algo === 'market' ? 'market' : 'limit', limitPrice, params };
}

/**
 * Scales every buy by the same factor so the total fits `budget`, rounding down to lots, then
 * removes one lot at a time from the largest buy while rounding or charges still overshoot.
 */
function scaleBuys<L extends Omit<Leg, 'index'>>(
  buys: L[],
  budget: number,
  snapshot: AccountSnapshot,
  cost: (leg: L, qty: number) => number,
  chargesOf: (leg: L, qty: number) => number,
): L[] {
  const total = buys.reduce((s, l) => s + cost(l, l.quantity), 0);
  const factor = total > 0 ? budget / total : 0;
  const lotOf = (l: L) => findInstrument(snapshot.instruments, l.symbol, l.exchange)!.lotSize;
  const scaled = buys.map((l) => ({ leg: l, qty: Math.floor((l.quantity * factor) / lotOf(l)) * lotOf(l) }));
  const spend = () => scaled.reduce((s, x) => s + (x.qty > 0 ? cost(x.leg, x.qty) : 0), 0);
  while (spend() > budget) {
    const largest = scaled.filter((x) => x.qty > 0).sort((a, b) => b.qty * b.leg.estimatedPrice - a.qty * a.leg.estimatedPrice)[0];
    if (!largest) break;
    largest.qty -= lotOf(largest.leg);
  }
  return scaled
    .filter((x) => x.qty > 0)
    .map((x) => ({
      ...x.leg,
      quantity: x.qty,
      estimatedValue: x.qty * x.leg.estimatedPrice,
      ...(x.leg.estimatedCharges === undefined ? {} : { estimatedCharges: chargesOf(x.leg, x.qty) }),
      notes: [...x.leg.notes, `scaled from ${x.leg.quantity} to ${x.qty} to fit the cash`],
    }));
}

function bySymbol(a: { symbol: string; exchange: string }, b: { symbol: string; exchange: string }): number {
  return a.symbol === b.symbol ? a.exchange.localeCompare(b.exchange) : a.symbol.localeCompare(b.symbol);
}
