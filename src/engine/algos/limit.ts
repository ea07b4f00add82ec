import { roundPassive } from '../../domain/price.js';
import type { AlgorithmFactory } from './algorithm.js';

/**
 * One limit child. The price is the leg's limit price, or "at touch" (bid for a buy, ask for a
 * sell), or touch ± `offset_bps` (positive = more aggressive).
 */
export const limitAlgorithm: AlgorithmFactory = (spec, ctx) => ({
  name: 'limit',
  decide(state, market) {
    if (state.filled >= state.quantity) return { done: true };
    if (state.reason !== 'start' && state.reason !== 'resume') return state.working > 0 ? {} : { done: true };
    const remaining = state.quantity - state.filled - state.working;
    if (remaining <= 0) return {};
    const side = ctx.leg.side;
    let price = spec.limitPrice ?? ctx.leg.limitPrice;
    if (price === undefined) {
      const touch = side === 'buy' ? market.quote.bid : market.quote.ask;
      const offsetBps = Number(spec.params['offset_bps'] ?? 0);
      const sign = side === 'buy' ? 1 : -1;
      price = roundPassive(touch * (1 + (sign * offsetBps) / 10_000), ctx.instrument.tickSize, side);
    }
    return { place: [{ quantity: remaining, type: 'limit', limitPrice: price, timeInForce: 'day' }] };
  },
});
