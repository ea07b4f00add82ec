import { trailPercentProblem } from './trailing-stop.js';

/**
 * The order a target line asks for, beyond its amount: an order type (market, limit, stop,
 * stop-limit, trailing stop, or an OCO pair) and protective exits (take-profit and stop-loss: a bracket). The
 * rules here need no market data; the planner checks ticks and the side of the market once it
 * knows the instrument, the quote and whether the leg buys or sells.
 */

export const TARGET_ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop', 'oco'] as const;
export type TargetOrderType = (typeof TARGET_ORDER_TYPES)[number];

/** Algorithms that send a leg as one order; the only ones that combine with conditional orders. */
export const SINGLE_ORDER_ALGOS: readonly string[] = ['market', 'limit'];

/** A line's order fields, prices in minor units. */
export interface TargetOrderFields {
  orderType?: TargetOrderType;
  limitPrice?: number;
  stopPrice?: number;
  takeProfit?: number;
  stopLoss?: number;
  stopLossLimit?: number;
  /** A trailing stop's trail: a percent of the price (2.5 = 2.5 %), or a price offset in minor units. */
  trailPercent?: number;
  trailPrice?: number;
  algo?: string;
}

/** A problem with one field of a line: `field` is the JSON key or CSV column to point at. */
export interface OrderFieldIssue {
  field: string;
  message: string;
}

/** The algorithm a conditional order type is worked with: one order, market or limit semantics. */
export function singleOrderAlgo(orderType: TargetOrderType): 'market' | 'limit' {
  return orderType === 'limit' || orderType === 'stop_limit' ? 'limit' : 'market';
}

/** Whether the line asks for protective exits on its entry (a bracket). */
export function isBracketLine(f: TargetOrderFields): boolean {
  return f.orderType !== 'oco' && (f.takeProfit !== undefined || f.stopLoss !== undefined);
}

/** The trail of a trailing stop: exactly one of trail_percent and trail_price, and only on a trailing stop. */
function trailIssues(f: TargetOrderFields, add: (field: string, message: string) => void): void {
  const trailing = f.orderType === 'trailing_stop';
  for (const [field, value] of [['trail_percent', f.trailPercent], ['trail_price', f.trailPrice]] as const) {
    if (value !== undefined && !trailing) add(field, `${field} is the distance of a trailing stop: add order_type trailing_stop, or remove ${field}`);
  }
  if (!trailing) return;
  if (f.trailPercent === undefined && f.trailPrice === undefined) add('trail_percent', 'a trailing_stop order needs its trail: trail_percent (2.5 = 2.5 % of the price) or trail_price (a price distance)');
  if (f.trailPercent !== undefined && f.trailPrice !== undefined) add('trail_price', 'a trailing stop trails by trail_percent or by trail_price, not both: remove one');
  const percentProblem = f.trailPercent === undefined ? undefined : trailPercentProblem(f.trailPercent);
  if (percentProblem) add('trail_percent', `trail_percent ${percentProblem}`);
  if (f.limitPrice !== undefined) add('limit_price', 'a trailing stop becomes a market order when its stop is hit and has no limit_price: remove limit_price');
}

/** Every combination of order fields that cannot be sent, with the fix. */
export function orderFieldIssues(f: TargetOrderFields): OrderFieldIssue[] {
  const issues: OrderFieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const type = f.orderType;
  const exits = f.takeProfit !== undefined || f.stopLoss !== undefined;

  if (f.stopPrice !== undefined && type === 'trailing_stop') {
    add('stop_price', 'a trailing stop sets its own stop price from the trail and the market: remove stop_price');
  } else if (f.stopPrice !== undefined && type !== 'stop' && type !== 'stop_limit') {
    add('stop_price', `stop_price is the trigger of a stop order: add order_type stop (or stop_limit with a limit_price), or remove stop_price`);
  }
  if ((type === 'stop' || type === 'stop_limit') && f.stopPrice === undefined) add('stop_price', `a ${type} order needs stop_price, the price that triggers it`);
  if (type === 'stop' && f.limitPrice !== undefined) add('limit_price', 'a stop order becomes a market order when triggered and has no limit_price: use order_type stop_limit to cap the price');
  if (type === 'stop_limit' && f.limitPrice === undefined) add('limit_price', 'a stop_limit order needs limit_price, the worst price it may trade at once triggered');
  if (type === 'market' && f.limitPrice !== undefined) add('limit_price', 'a market order has no limit price: use order_type limit, or remove limit_price');
  if (type === 'oco' && f.limitPrice !== undefined) add('limit_price', "an OCO's limit is its take_profit: remove limit_price");

  if (type === 'oco' || exits) {
    const what = type === 'oco' ? 'an OCO leg' : 'a bracket (an entry with protective exits)';
    if (f.takeProfit === undefined) add('take_profit', `${what} needs take_profit, the limit price of the profit-taking exit`);
    if (f.stopLoss === undefined) add('stop_loss', `${what} needs stop_loss, the trigger price of the protective stop`);
  }
  if (exits && (type === 'stop' || type === 'stop_limit' || type === 'trailing_stop')) {
    add('order_type', `take_profit and stop_loss protect a market or limit entry (a bracket), not a ${type} order; or make the leg order_type oco`);
  }
  if (f.stopLossLimit !== undefined && f.stopLoss === undefined) add('stop_loss_limit', 'stop_loss_limit turns the stop-loss into a stop-limit: it needs stop_loss');
  trailIssues(f, add);

  if (f.algo !== undefined) {
    const algo = f.algo.toLowerCase();
    if (type !== undefined && algo !== singleOrderAlgo(type)) {
      const one = type === 'oco' ? 'an OCO pair' : `one ${type.replace('_', '-')} order`;
      add('algo', `order_type ${type} is sent as ${one}, which "${f.algo}" cannot work: remove algo (or set it to "${singleOrderAlgo(type)}"); to slice a leg, remove order_type instead`);
    } else if (type === undefined && exits && !SINGLE_ORDER_ALGOS.includes(algo)) {
      add('algo', `a bracket leg is sent as one entry order with its exits and cannot be sliced by "${f.algo}": remove algo, or use market or limit`);
    }
  }
  return issues;
}
