import type { ExecutionSpec } from '../../domain/plan.js';
import type { ChildIntent } from './algorithm.js';

/**
 * Turns a single-order algorithm's child into the order the leg names: a stop or stop-limit at
 * its trigger, a trailing stop with its trail, an OCO pair (its take-profit limit carries the request), or an entry with its
 * bracket exits. A leg without a named order keeps the child as it is.
 */
export function asLegOrder(child: ChildIntent, spec: ExecutionSpec): ChildIntent {
  if (spec.orderClass === 'oco') {
    return { quantity: child.quantity, type: 'limit', limitPrice: spec.takeProfit!.limitPrice, timeInForce: 'day', orderClass: 'oco', takeProfit: spec.takeProfit, stopLoss: spec.stopLoss };
  }
  if (spec.orderType === 'trailing_stop') return { quantity: child.quantity, type: 'trailing_stop', trail: spec.trail, timeInForce: 'day' };
  if (spec.orderType === 'stop') return { quantity: child.quantity, type: 'stop', triggerPrice: spec.triggerPrice, timeInForce: 'day' };
  if (spec.orderType === 'stop_limit') return { quantity: child.quantity, type: 'stop_limit', triggerPrice: spec.triggerPrice, limitPrice: spec.limitPrice ?? child.limitPrice, timeInForce: 'day' };
  if (spec.orderClass === 'bracket') return { ...child, timeInForce: 'day', orderClass: 'bracket', takeProfit: spec.takeProfit, stopLoss: spec.stopLoss };
  return child;
}
