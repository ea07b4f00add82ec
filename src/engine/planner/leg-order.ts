import type { Instrument, Quote } from '../../domain/instrument.js';
import { formatMinor, toMajor } from '../../domain/money.js';
import { orderClassProblem } from '../../domain/order-class.js';
import type { OrderRequest } from '../../domain/order.js';
import type { ExecutionSpec } from '../../domain/plan.js';
import { isOnTick, roundToTick } from '../../domain/price.js';
import type { Side } from '../../domain/side.js';
import { isBracketLine, singleOrderAlgo } from '../../domain/target-order-fields.js';
import { trailingStopPrice, trailProblem } from '../../domain/trailing-stop.js';
import type { TargetPosition } from '../../domain/target-portfolio.js';

/** Run-wide parameters a single-order leg keeps: its horizon and the limit algorithm's offset. */
const SINGLE_ORDER_PARAMS = ['duration', 'offset_bps'];

/**
 * The execution of a line that names its order (README "Order types"), or undefined when the
 * algorithm decides. Such a leg is sent as one order: market semantics for market, stop and OCO
 * orders and market-entry brackets, limit semantics for limit and stop-limit orders and
 * limit-entry brackets. The run's default algorithm does not apply to it.
 */
export function namedOrderExecution(position: TargetPosition, fallback: ExecutionSpec): ExecutionSpec | undefined {
  const bracket = isBracketLine(position);
  if (position.orderType === undefined && !bracket) return undefined;
  const entry = position.orderType ?? (position.algo === 'limit' || position.limitPrice !== undefined || (position.algo === undefined && fallback.algo === 'limit') ? 'limit' : 'market');
  const params: ExecutionSpec['params'] = {};
  for (const [key, value] of Object.entries({ ...fallback.params, ...(position.algoParams ?? {}) })) if (SINGLE_ORDER_PARAMS.includes(key)) params[key] = value;
  const spec: ExecutionSpec = { algo: singleOrderAlgo(entry), orderType: entry === 'oco' ? 'limit' : entry, params };
  if (position.limitPrice !== undefined) spec.limitPrice = position.limitPrice;
  if (position.stopPrice !== undefined) spec.triggerPrice = position.stopPrice;
  if (entry === 'trailing_stop') spec.trail = position.trailPercent !== undefined ? { percent: position.trailPercent } : { price: position.trailPrice! };
  if (entry === 'oco' || bracket) {
    spec.orderClass = entry === 'oco' ? 'oco' : 'bracket';
    spec.takeProfit = { limitPrice: position.takeProfit! };
    spec.stopLoss = position.stopLossLimit === undefined ? { triggerPrice: position.stopLoss! } : { triggerPrice: position.stopLoss!, limitPrice: position.stopLossLimit };
  }
  return spec;
}

/** What a conditional or linked leg is shown as in the plan (`stop`, `bracket`, …), else its algorithm. */
export function orderLabel(spec: ExecutionSpec): string {
  if (spec.orderClass) return spec.orderClass === 'oco' ? 'oco' : `${spec.algo}+bracket`;
  if (spec.orderType === 'stop' || spec.orderType === 'stop_limit' || spec.orderType === 'trailing_stop') return spec.orderType;
  return spec.algo;
}

/**
 * The price used to value a conditional leg: where a stop trades once triggered (its trigger, or
 * its limit), and for an OCO its stop-loss, the dearer leg of a buy and the cheaper of a sell.
 */
export function conditionalEstimatedPrice(spec: ExecutionSpec): number | undefined {
  if (spec.orderClass === 'oco') return spec.stopLoss!.limitPrice ?? spec.stopLoss!.triggerPrice;
  if (spec.orderType === 'stop_limit') return spec.limitPrice;
  if (spec.orderType === 'stop') return spec.triggerPrice;
  return undefined;
}

interface LegContext {
  symbol: string;
  side: Side;
  quantity: number;
  current: number;
  target: number;
  instrument: Instrument;
  quote: Quote;
}

/**
 * The prices of a line that are not on the instrument's tick, each with the two nearest that are.
 * A price written with more decimals than the currency has (`3120.055`) is never on a tick.
 */
export function offTickProblems(position: TargetPosition, instrument: Instrument): { field: string; message: string }[] {
  const tick = instrument.tickSize;
  const m = formatMinor;
  const prices: [string, number | undefined][] = [
    ['limit_price', position.limitPrice],
    ['stop_price', position.stopPrice],
    ['take_profit', position.takeProfit],
    ['stop_loss', position.stopLoss],
    ['stop_loss_limit', position.stopLossLimit],
    ['trail_price', position.trailPrice],
  ];
  return prices
    .filter((entry): entry is [string, number] => entry[1] !== undefined && !isOnTick(entry[1], tick))
    .map(([field, price]) => {
      const down = roundToTick(price, tick, 'down');
      return { field, message: `${field} ${asWritten(price)} is not on the tick of ${m(tick)} for ${instrument.symbol}: use ${m(down)} or ${m(down + tick)}` };
    });
}

/** A price as the file wrote it: `312005.5` minor units is `3120.055`, not a rounded `3120.06`. */
function asWritten(minor: number): string {
  return Number.isInteger(minor) ? formatMinor(minor) : toMajor(minor).toFixed(6).replace(/0+$/, '');
}

/**
 * Why a named order cannot be sent for this leg, once its side and the market are known: a stop
 * that would trigger at once, a stop-limit whose limit could never fill, exits that do not
 * straddle the entry. Its prices are on the tick ({@link offTickProblems} is checked first).
 * Every message names the field and the fix.
 */
export function legOrderProblems(spec: ExecutionSpec, leg: LegContext): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const { side, instrument, quote } = leg;
  const tick = instrument.tickSize;
  const m = formatMinor;

  const last = quote.last;
  const sells = `the leg sells ${leg.quantity} (holding ${leg.current}, target ${leg.target})`;
  const buys = `the leg buys ${leg.quantity} (holding ${leg.current}, target ${leg.target})`;
  if (spec.orderType === 'stop' || spec.orderType === 'stop_limit') {
    const trigger = spec.triggerPrice!;
    if (side === 'buy' && !(trigger > last)) add('stop_price', `${buys}: a buy stop triggers when the price rises to stop_price, so ${m(trigger)} must be above the last price ${m(last)} (at or below it, it would trigger at once)`);
    if (side === 'sell' && !(trigger < last)) add('stop_price', `${sells}: a sell stop triggers when the price falls to stop_price, so ${m(trigger)} must be below the last price ${m(last)} (at or above it, it would trigger at once)`);
    const limit = spec.limitPrice;
    if (spec.orderType === 'stop_limit' && limit !== undefined) {
      if (side === 'buy' && limit < trigger) add('limit_price', `a buy stop-limit's limit_price ${m(limit)} is below its stop_price ${m(trigger)}: once triggered it could not fill; set limit_price at or above the stop`);
      if (side === 'sell' && limit > trigger) add('limit_price', `a sell stop-limit's limit_price ${m(limit)} is above its stop_price ${m(trigger)}: once triggered it could not fill; set limit_price at or below the stop`);
    }
    return problems;
  }
  if (spec.orderType === 'trailing_stop') return trailingStopProblems(spec, leg);
  if (!spec.orderClass) return problems;

  if (spec.orderClass === 'bracket' && side === 'sell') {
    add('take_profit', `${sells}: take_profit and stop_loss protect a buy with exits that sell; to sell with a take-profit and a stop-loss, make the leg order_type oco`);
    return problems;
  }
  const tp = spec.takeProfit!.limitPrice;
  const sl = spec.stopLoss!.triggerPrice;
  const exitsSell = spec.orderClass === 'bracket' ? side === 'buy' : side === 'sell';
  const entryLimit = spec.orderClass === 'bracket' && spec.orderType === 'limit' ? spec.limitPrice : undefined;
  const reference = entryLimit ?? last;
  const refName = entryLimit !== undefined ? `the entry limit_price ${m(entryLimit)}` : `the last price ${m(last)}`;
  const role = spec.orderClass === 'oco' ? (side === 'sell' ? 'an OCO that sells' : 'an OCO that buys') : 'a bracket on a buy';
  if (exitsSell) {
    if (!(tp > reference)) add('take_profit', `${role} takes profit by selling above ${refName}: take_profit ${m(tp)} must be above it`);
    if (!(sl < reference)) add('stop_loss', `${role} stops out by selling below ${refName}: stop_loss ${m(sl)} must be below it`);
    const slLimit = spec.stopLoss!.limitPrice;
    if (slLimit !== undefined && slLimit > sl) add('stop_loss_limit', `a selling stop-loss's stop_loss_limit ${m(slLimit)} is above its trigger ${m(sl)}: set it at or below stop_loss`);
  } else {
    if (!(tp < reference)) add('take_profit', `${role} takes its limit buying below ${refName}: take_profit ${m(tp)} must be below it`);
    if (!(sl > reference)) add('stop_loss', `${role} buys on a stop above ${refName}: stop_loss ${m(sl)} must be above it`);
    const slLimit = spec.stopLoss!.limitPrice;
    if (slLimit !== undefined && slLimit < sl) add('stop_loss_limit', `a buying stop-loss's stop_loss_limit ${m(slLimit)} is below its trigger ${m(sl)}: set it at or above stop_loss`);
  }
  if (problems.length) return problems;
  // The broker's own rules as a last guard, so the plan never holds what the broker refuses.
  const request: OrderRequest = {
    clientOrderId: 'plan',
    symbol: leg.symbol,
    exchange: instrument.exchange,
    side,
    type: spec.orderType,
    quantity: leg.quantity,
    timeInForce: 'day',
    product: 'delivery',
    orderClass: spec.orderClass,
    takeProfit: spec.takeProfit,
    stopLoss: spec.stopLoss,
  };
  if (spec.orderClass === 'bracket' && spec.orderType === 'limit') request.limitPrice = spec.limitPrice ?? roundToTick(side === 'buy' ? quote.bid : quote.ask, tick);
  const problem = orderClassProblem(request, tick, last);
  if (problem) add(spec.orderClass === 'oco' ? 'order_type' : 'take_profit', problem);
  return problems;
}

/** A trailing stop's trail must leave its stop on the right side of the market, above zero. */
function trailingStopProblems(spec: ExecutionSpec, leg: LegContext): { field: string; message: string }[] {
  const { instrument, quote, side } = leg;
  const field = spec.trail?.percent !== undefined ? 'trail_percent' : 'trail_price';
  const problem = trailProblem(spec.trail, instrument.tickSize);
  if (problem) return [{ field, message: problem }];
  const stop = trailingStopPrice(side, quote.last, spec.trail!, instrument.tickSize);
  if (side === 'sell' && stop <= 0) {
    return [{ field, message: `the trail is wider than the last price ${formatMinor(quote.last)}: a sell trailing stop would stand at or below zero; use a smaller trail` }];
  }
  return [];
}
