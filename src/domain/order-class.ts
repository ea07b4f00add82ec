import type { OrderRequest } from './order.js';
import { isOnTick } from './price.js';
import type { Side } from './side.js';

/** Suffixes of the exit legs' client order ids: `<parent id>TP` and `<parent id>SL`. */
export const TAKE_PROFIT_SUFFIX = 'TP';
export const STOP_LOSS_SUFFIX = 'SL';

/** The side of a bracket's exit legs: the opposite of the entry. */
export function exitSide(entrySide: Side): Side {
  return entrySide === 'buy' ? 'sell' : 'buy';
}

/** The client order ids of a linked order's exit legs. */
export function exitLegClientIds(parentClientOrderId: string): { takeProfit: string; stopLoss: string } {
  return { takeProfit: `${parentClientOrderId}${TAKE_PROFIT_SUFFIX}`, stopLoss: `${parentClientOrderId}${STOP_LOSS_SUFFIX}` };
}

/** Whether a request asks for a linked order class (bracket or OCO). */
export function isLinkedOrder(request: Pick<OrderRequest, 'orderClass'>): request is OrderRequest & { orderClass: 'bracket' | 'oco' } {
  return request.orderClass === 'bracket' || request.orderClass === 'oco';
}

/**
 * Why a bracket or OCO request is malformed, or undefined when it is well formed. Pure: the
 * caller supplies the tick and, for a market-entry bracket or an OCO, the current market price
 * (`reference`) the legs must straddle.
 *
 * Rules (Alpaca's): the exit legs sell above (take-profit) and below (stop-loss) the reference
 * when they are sells, and the reverse when they are buys. For a bracket the exits are on the
 * opposite side of the entry and the reference is the entry's limit price (a market entry uses
 * `reference`); for an OCO the exits are on `side` itself, `type` must be 'limit' and a
 * `limitPrice`, if given, must equal the take-profit, and its time in force is 'day'. A stop-limit stop-loss's limit may not be
 * better than its trigger (a sell's limit ≤ trigger, a buy's ≥ trigger). Every price is a
 * positive integer of minor units on the tick. A simple order may not carry exit legs.
 */
export function orderClassProblem(request: OrderRequest, tickSize: number, reference?: number): string | undefined {
  const orderClass = request.orderClass ?? 'simple';
  if (orderClass === 'simple') {
    if (request.takeProfit !== undefined || request.stopLoss !== undefined) return 'take-profit and stop-loss legs need orderClass "bracket" or "oco"';
    return undefined;
  }
  if (orderClass !== 'bracket' && orderClass !== 'oco') return `unknown order class ${String(orderClass)}`;
  const { takeProfit, stopLoss } = request;
  if (!takeProfit || !stopLoss) return `a ${orderClass} order needs both a take-profit limit price and a stop-loss trigger price`;
  const prices: [string, number | undefined][] = [
    ['take-profit limit price', takeProfit.limitPrice],
    ['stop-loss trigger price', stopLoss.triggerPrice],
    ['stop-loss limit price', stopLoss.limitPrice],
  ];
  for (const [name, price] of prices) {
    if (price === undefined) continue;
    if (!Number.isInteger(price) || price <= 0) return `${name} must be a positive integer number of minor units, got ${price}`;
    if (!isOnTick(price, tickSize)) return `${name} ${price} is not on the tick of ${tickSize}`;
  }
  if (request.triggerPrice !== undefined) return `a ${orderClass} order takes its trigger from the stop-loss leg, not from triggerPrice`;

  let exits: Side;
  let anchor: number | undefined;
  let anchorName: string;
  if (orderClass === 'bracket') {
    if (request.type !== 'market' && request.type !== 'limit') return `a bracket entry must be a market or limit order, got ${request.type}`;
    exits = exitSide(request.side);
    if (request.type === 'limit') {
      if (request.limitPrice === undefined) return 'a limit bracket entry needs a limit price';
      anchor = request.limitPrice;
      anchorName = `the entry limit ${request.limitPrice}`;
    } else {
      anchor = reference;
      anchorName = `the market price ${reference}`;
    }
  } else {
    if (request.type !== 'limit') return `an OCO order must have type "limit" (its take-profit leg), got ${request.type}`;
    if (request.timeInForce !== 'day') return 'an OCO order rests until one leg fills: its time in force must be "day"';
    if (request.limitPrice !== undefined && request.limitPrice !== takeProfit.limitPrice) {
      return `an OCO order's limit price ${request.limitPrice} must equal its take-profit limit price ${takeProfit.limitPrice} (or be omitted)`;
    }
    exits = request.side;
    anchor = reference;
    anchorName = `the market price ${reference}`;
  }

  const tp = takeProfit.limitPrice;
  const sl = stopLoss.triggerPrice;
  if (exits === 'sell') {
    if (!(tp > sl)) return `selling exits need take-profit ${tp} above stop-loss trigger ${sl}`;
    if (anchor !== undefined && !(tp > anchor && anchor > sl)) return `selling exits need take-profit ${tp} > ${anchorName} > stop-loss trigger ${sl}`;
    if (stopLoss.limitPrice !== undefined && stopLoss.limitPrice > sl) return `a selling stop-loss limit ${stopLoss.limitPrice} may not be above its trigger ${sl}`;
  } else {
    if (!(tp < sl)) return `buying exits need take-profit ${tp} below stop-loss trigger ${sl}`;
    if (anchor !== undefined && !(tp < anchor && anchor < sl)) return `buying exits need take-profit ${tp} < ${anchorName} < stop-loss trigger ${sl}`;
    if (stopLoss.limitPrice !== undefined && stopLoss.limitPrice < sl) return `a buying stop-loss limit ${stopLoss.limitPrice} may not be below its trigger ${sl}`;
  }
  return undefined;
}
