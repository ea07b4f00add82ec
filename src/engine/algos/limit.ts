import { roundPassive } from '../../domain/price.js';
import type { AlgorithmFactory } from './algorithm.js';
import { asLegOrder } from './leg-order.js';
import { parseParams } from './params.js';
import { childParamSpecs } from './slicing-params.js';

/**
 * One limit child (or the stop-limit or limit-entry bracket the leg names). The price is the leg's limit price, or "at touch" (bid for a buy, ask for a
 * sell), or touch ± `offset_bps` (positive = more aggressive).
 */
export const limitAlgorithm: AlgorithmFactory = (spec, ctx) => {
  // Only offset_bps is read here; it is validated up front so a typo cannot price a child at NaN.
  const { offset_bps: offsetBps } = parseParams('limit', { offset_bps: childParamSpecs.offset_bps }, { offset_bps: spec.params['offset_bps'] });
  return {
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
        const sign = side === 'buy' ? 1 : -1;
        price = roundPassive(touch * (1 + (sign * offsetBps) / 10_000), ctx.instrument.tickSize, side);
      }
      return { place: [asLegOrder({ quantity: remaining, type: 'limit', limitPrice: price, timeInForce: 'day' }, spec)] };
    },
  };
};
