import type { AlgorithmFactory } from './algorithm.js';
import { asLegOrder } from './leg-order.js';

/**
 * One market child for the whole remaining quantity (or the stop, OCO pair or bracket entry the
 * leg names); a child that ends unfilled is not re-sent.
 */
export const marketAlgorithm: AlgorithmFactory = (spec) => ({
  name: 'market',
  decide(state) {
    const remaining = state.quantity - state.filled - state.working;
    if (state.filled >= state.quantity) return { done: true };
    // A market child that ended without filling completely (rejected/cancelled) is not retried
    // blindly: the runtime reports the leg incomplete.
    if (state.reason !== 'start' && state.reason !== 'resume') return state.working > 0 ? {} : { done: true };
    return remaining > 0 ? { place: [asLegOrder({ quantity: remaining, type: 'market', timeInForce: 'day' }, spec)] } : {};
  },
});
