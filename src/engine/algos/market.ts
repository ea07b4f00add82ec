import type { AlgorithmFactory } from './algorithm.js';

/** One market child for the whole remaining quantity; re-sends the remainder if a child ends unfilled. */
export const marketAlgorithm: AlgorithmFactory = () => ({
  name: 'market',
  decide(state) {
    const remaining = state.quantity - state.filled - state.working;
    if (state.filled >= state.quantity) return { done: true };
    // A market child that ended without filling completely (rejected/cancelled) is not retried
    // blindly: the runtime reports the leg incomplete.
    if (state.reason !== 'start' && state.reason !== 'resume') return state.working > 0 ? {} : { done: true };
    return remaining > 0 ? { place: [{ quantity: remaining, type: 'market', timeInForce: 'day' }] } : {};
  },
});
