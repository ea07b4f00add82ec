import { roundPassive } from '../../domain/price.js';
import type { AlgorithmFactory } from './algorithm.js';
import { asLegOrder } from './leg-order.js';
import { marketParamSpecs } from './market.js';
import { parseParams, type RawParams } from './params.js';
import { childParamSpecs } from './slicing-params.js';

export const limitParamSpecs = { duration: marketParamSpecs.duration, offset_bps: childParamSpecs.offset_bps };

export function parseLimitParams(raw: RawParams) {
  return parseParams('limit', limitParamSpecs, raw);
}

/**
 * One limit child (or the stop-limit or limit-entry bracket the leg names). The price is the leg's limit price, or "at touch" (bid for a buy, ask for a
 * sell), or touch ± `offset_bps` (positive = more aggressive).
 */
export const limitAlgorithm: AlgorithmFactory = (spec, ctx) => {
  // Validated up front so that a typo cannot price a child at NaN; the runtime reads the horizon.
  const { offset_bps: offsetBps } = parseLimitParams(spec.params);
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
