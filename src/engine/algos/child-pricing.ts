import type { Quote } from '../../domain/instrument.js';
import { roundPassive, roundToTick } from '../../domain/price.js';
import type { Side } from '../../domain/side.js';
import type { ChildIntent } from './algorithm.js';

/** How a scheduled algorithm prices its slices: a market child, or a limit at touch ± bps. */
export type ChildStyle = { type: 'market' } | { type: 'limit'; offsetBps: number };

export interface PricingContext {
  side: Side;
  tickSize: number;
  /** The leg's limit price (minor units): no child may be priced through it. */
  cap?: number;
}

/** The touch on our side of the book (bid for a buy), falling back to the last price. */
function nearTouch(side: Side, quote: Quote): number {
  const touch = side === 'buy' ? quote.bid : quote.ask;
  return touch > 0 ? touch : quote.last;
}

function farTouch(side: Side, quote: Quote): number {
  const touch = side === 'buy' ? quote.ask : quote.bid;
  return touch > 0 ? touch : quote.last;
}

/** A buy may pay at most the cap, a sell receive at least it. */
function applyCap(price: number, p: PricingContext): number {
  if (p.cap === undefined) return price;
  return p.side === 'buy' ? Math.min(price, p.cap) : Math.max(price, p.cap);
}

/**
 * A slice child. Limit: at the near touch moved by `offsetBps` (positive = more aggressive),
 * rounded passively to the tick. Market: a market order, or — when the leg has a limit price —
 * a limit at that price, which executes like a market order up to the limit and never through it.
 */
export function sliceChild(quantity: number, style: ChildStyle, quote: Quote, p: PricingContext): ChildIntent {
  if (style.type === 'market') {
    return p.cap === undefined ? { quantity, type: 'market', timeInForce: 'day' } : { quantity, type: 'limit', limitPrice: p.cap, timeInForce: 'day' };
  }
  const sign = p.side === 'buy' ? 1 : -1;
  const touch = nearTouch(p.side, quote);
  if (!(touch > 0)) return p.cap === undefined ? { quantity, type: 'market', timeInForce: 'day' } : { quantity, type: 'limit', limitPrice: p.cap, timeInForce: 'day' };
  const price = roundPassive(touch * (1 + (sign * style.offsetBps) / 10_000), p.tickSize, p.side);
  return { quantity, type: 'limit', limitPrice: applyCap(Math.max(p.tickSize, price), p), timeInForce: 'day' };
}

/**
 * A marketable limit for the clean-up at the end of a horizon: the far touch plus `offsetBps`,
 * rounded away from the book so it crosses, capped by the leg's limit, immediate-or-cancel so
 * whatever does not execute now is left unfilled rather than resting.
 */
export function aggressiveChild(quantity: number, offsetBps: number, quote: Quote, p: PricingContext): ChildIntent {
  const sign = p.side === 'buy' ? 1 : -1;
  const touch = farTouch(p.side, quote);
  if (!(touch > 0)) return p.cap === undefined ? { quantity, type: 'market', timeInForce: 'ioc' } : { quantity, type: 'limit', limitPrice: p.cap, timeInForce: 'ioc' };
  const price = roundToTick(touch * (1 + (sign * offsetBps) / 10_000), p.tickSize, p.side === 'buy' ? 'up' : 'down');
  return { quantity, type: 'limit', limitPrice: applyCap(Math.max(p.tickSize, price), p), timeInForce: 'ioc' };
}
