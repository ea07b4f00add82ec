import type { AlgorithmFactory } from './algorithm.js';
import { DURATION_FORMAT } from './duration.js';
import { asLegOrder } from './leg-order.js';
import { duration, param, parseParams, type RawParams } from './params.js';

/** The horizon of a one-order leg (open orders are cancelled then); the runtime's default is 15 minutes. */
export const marketParamSpecs = { duration: param(duration.optional(), DURATION_FORMAT) };

export function parseMarketParams(raw: RawParams) {
  return parseParams('market', marketParamSpecs, raw);
}

/**
 * One market child for the whole remaining quantity (or the stop, OCO pair or bracket entry the
 * leg names); a child that ends unfilled is not re-sent.
 */
export const marketAlgorithm: AlgorithmFactory = (spec) => {
  // The horizon is read by the runtime; it is checked here so that a bad one stops the plan.
  parseMarketParams(spec.params);
  return {
    name: 'market',
    decide(state) {
      const remaining = state.quantity - state.filled - state.working;
      if (state.filled >= state.quantity) return { done: true };
      // A market child that ended without filling completely (rejected/cancelled) is not retried
      // blindly: the runtime reports the leg incomplete.
      if (state.reason !== 'start' && state.reason !== 'resume') return state.working > 0 ? {} : { done: true };
      return remaining > 0 ? { place: [asLegOrder({ quantity: remaining, type: 'market', timeInForce: 'day' }, spec)] } : {};
    },
  };
};
