import type { AlgoDecision, ExecutionAlgorithm, MarketView, ParentState } from './algorithm.js';
import { aggressiveChild, type ChildStyle, type PricingContext, sliceChild } from './child-pricing.js';
import { CANCEL_RETRY_MS, cancelRequests } from './cancel-requests.js';
import type { Timeline } from './timeline.js';

export type CleanupMode = 'market' | 'aggressive_limit' | 'leave';
export const CLEANUP_MODES = ['market', 'aggressive_limit', 'leave'] as const;

export interface ScheduledExecutionOptions {
  name: string;
  style: ChildStyle;
  pricing: PricingContext;
  cleanup: CleanupMode;
  /** How far past the far touch the aggressive clean-up limit goes. */
  cleanupBps: number;
  /** Built on the first decision, when the parent's start and the market are known. */
  timeline(state: ParentState, market: MarketView): Timeline;
  /** Shares to send at tick `j`, given what is left (the core caps it at `remaining`). */
  quantityAt(j: number, state: ParentState, market: MarketView, remaining: number): number;
}

/**
 * The engine shared by TWAP, VWAP, IS and POV. At each tick it cancels the previous tick's
 * unfilled child and, once the cancel is confirmed (so the filled quantity is final and nothing
 * can overfill), sends the tick's child. At the end of the horizon it cancels what is open and
 * cleans up the rest (market, aggressive limit, or leave it). It keeps little state of its own —
 * sizes come from the parent's filled quantity, and the ticks already acted on from when the leg
 * last placed a child — so a fresh instance after a resume carries on where the schedule was.
 */
export function scheduledExecution(opts: ScheduledExecutionOptions): ExecutionAlgorithm {
  let timeline: Timeline | undefined;
  let handledTick = -1;
  let cleanupSent = false;
  const cancelsDue = cancelRequests();

  const withCancels = (state: ParentState, decision: AlgoDecision, cancelReason: AlgoDecision['cancelReason']): AlgoDecision => {
    const cancel = cancelsDue(state);
    return cancel.length > 0 ? { ...decision, cancel, cancelReason } : decision;
  };

  const finish = (state: ParentState, market: MarketView, remaining: number): AlgoDecision => {
    if (cleanupSent) return state.working > 0 ? {} : { done: true };
    if (state.working > 0) return withCancels(state, { wakeAt: state.now + CANCEL_RETRY_MS }, 'horizon');
    if (opts.cleanup === 'leave') return { done: true };
    cleanupSent = true;
    const child =
      opts.cleanup === 'market' ? sliceChild(remaining, { type: 'market' }, market.quote, opts.pricing) : aggressiveChild(remaining, opts.cleanupBps, market.quote, opts.pricing);
    return { place: [child] };
  };

  return {
    name: opts.name,
    decide(state, market) {
      if (!timeline) {
        timeline = opts.timeline(state, market);
        // A resumed leg: what was placed before the interruption is not placed again.
        if (state.lastPlacedAt !== undefined) {
          if (state.lastPlacedAt >= timeline.end) cleanupSent = true;
          else handledTick = timeline.indexAt(state.lastPlacedAt);
        }
      }
      const remaining = state.quantity - state.filled;
      if (remaining <= 0) return { done: true };
      const now = state.now;
      if (now >= timeline.end) return finish(state, market, remaining);
      const j = timeline.indexAt(now);
      if (j < 0) return { wakeAt: timeline.tickAt(0) };
      const wakeAt = Math.min(j + 1 < timeline.ticks ? timeline.tickAt(j + 1) : timeline.end, timeline.end);
      if (j <= handledTick) return { wakeAt };
      if (state.working > 0) return withCancels(state, { wakeAt }, 'next_slice');
      handledTick = j;
      const quantity = Math.min(remaining, Math.max(0, opts.quantityAt(j, state, market, remaining)));
      if (quantity <= 0) return { wakeAt };
      return { place: [sliceChild(quantity, opts.style, market.quote, opts.pricing)], wakeAt };
    },
  };
}
