import type { ExecutionSpec } from '../../domain/plan.js';
import { formatPrice } from '../format.js';

/** The order a leg is sent as when its line names one (README "Order types"); other legs have none. */
export type LegOrderKind = 'stop' | 'stop_limit' | 'trailing_stop' | 'bracket' | 'oco';

export interface LegOrder {
  kind: LegOrderKind;
  /** `stop at 1560.00`, `bracket: entry market, take-profit 1650.00, stop-loss 1420.00`, … */
  label: string;
  /** The same, as progress lines say it: `with a stop at 1560.00`, `with a bracket (entry market, …)`. */
  phrase: string;
}

/** What the header's algorithm list and the legs table's ALGO column call the order. */
export const ORDER_NAME: Record<LegOrderKind, string> = { stop: 'stop', stop_limit: 'stop-limit', trailing_stop: 'trailing-stop', bracket: 'bracket', oco: 'oco' };
export const ORDER_SHORT: Record<LegOrderKind, string> = { stop: 'stop', stop_limit: 'stopL', trailing_stop: 'trail', bracket: 'brkt', oco: 'oco' };

/** The named order of a planned leg, read from its recorded execution spec; null for a leg an algorithm works. */
export function legOrder(e: ExecutionSpec): LegOrder | null {
  const { orderClass, orderType: type } = e;
  if (orderClass === 'bracket' || orderClass === 'oco') {
    const exits = `take-profit ${formatPrice(e.takeProfit?.limitPrice)}, stop-loss ${stopLoss(e.stopLoss)}`;
    if (orderClass === 'oco') return { kind: 'oco', label: `OCO: ${exits}`, phrase: `with an OCO (${exits})` };
    const limit = e.limitPrice;
    const entry = type === 'limit' ? `entry limit ${limit === undefined ? 'at the touch' : formatPrice(limit)}` : 'entry market';
    return { kind: 'bracket', label: `bracket: ${entry}, ${exits}`, phrase: `with a bracket (${entry}, ${exits})` };
  }
  if (type === 'stop') {
    const what = `stop at ${formatPrice(e.triggerPrice)}`;
    return { kind: 'stop', label: what, phrase: `with a ${what}` };
  }
  if (type === 'stop_limit') {
    const what = `stop-limit at ${formatPrice(e.triggerPrice)}, limit ${formatPrice(e.limitPrice)}`;
    return { kind: 'stop_limit', label: what, phrase: `with a ${what}` };
  }
  if (type === 'trailing_stop') {
    const by = e.trail?.percent !== undefined ? `${e.trail.percent}%` : formatPrice(e.trail?.price);
    const what = `trailing stop ${by} behind the market`;
    return { kind: 'trailing_stop', label: what, phrase: `with a ${what}` };
  }
  return null;
}

function stopLoss(stop: ExecutionSpec['stopLoss']): string {
  const limit = stop?.limitPrice;
  return `${formatPrice(stop?.triggerPrice)}${limit === undefined ? '' : ` limit ${formatPrice(limit)}`}`;
}
