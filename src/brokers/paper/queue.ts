import type { Quote } from '../../domain/instrument.js';
import type { Side } from '../../domain/side.js';

/** A resting limit order's place in the queue at its price: the shares ahead of it. */
export interface QueuePlace {
  price: number;
  ahead: number;
}

/**
 * What the market's flow at a resting order's price does to it over one matching pass. The flow
 * (`flow`: sellers hitting the bids for a buy) trades only at the touch:
 * - behind the touch (a buy below the bid): nothing reaches the order, its place is kept;
 * - at the touch: the flow first trades the shares ahead of it (the touch depth when it joined
 *   at the back), and what is left of the flow reaches the order;
 * - better than the touch (inside the spread, or the market moved through its price): nothing is
 *   ahead of it any more and the whole flow reaches it.
 * Returns the updated place and the quantity that reaches the order (it fills up to that).
 */
export function restingFill(place: QueuePlace, side: Side, limit: number, quote: Pick<Quote, 'bid' | 'ask'>, flow: number, touchDepth: number): { place: QueuePlace; reaching: number } {
  // A modified price joins the back of the queue at its new level.
  const current = place.price === limit ? place : { price: limit, ahead: touchDepth };
  const touch = side === 'buy' ? quote.bid : quote.ask;
  const behind = side === 'buy' ? limit < touch : limit > touch;
  if (behind || !(flow > 0)) return { place: current, reaching: 0 };
  if (limit !== touch) return { place: { price: limit, ahead: 0 }, reaching: flow };
  const traded = Math.min(current.ahead, flow);
  return { place: { price: limit, ahead: current.ahead - traded }, reaching: flow - traded };
}
