import { nextWaterMark, trailingStopPrice } from '../../domain/trailing-stop.js';
import type { PaperOrder } from './paper-records.js';

/**
 * The paper market's trailing stops. A trailing stop's water mark starts at the last price when
 * it is placed and follows the paper market's own last price at every matching pass until the
 * stop triggers (the highest for a sell, the lowest for a buy); its stop stands the trail away
 * from the mark (src/domain/trailing-stop.ts) and, once the last price reaches it, the order
 * works as a market order, like a stop. The mark is stored with the order, so a restart goes on
 * from it.
 */

/** Sets a new trailing stop's mark and first stop from the last price. */
export function startTrail(order: PaperOrder, last: number, tickSize: number): void {
  order.trailMark = last;
  order.triggerPrice = trailingStopPrice(order.side, last, order.trail!, tickSize);
}

/** Moves an untriggered trailing stop with a new last price; true when its mark (and stop) moved. */
export function followTrail(order: PaperOrder, last: number, tickSize: number): boolean {
  if (order.type !== 'trailing_stop' || order.triggered || order.trail === undefined || order.trailMark === undefined) return false;
  const mark = nextWaterMark(order.side, order.trailMark, last);
  if (mark === order.trailMark) return false;
  order.trailMark = mark;
  order.triggerPrice = trailingStopPrice(order.side, mark, order.trail, tickSize);
  return true;
}
