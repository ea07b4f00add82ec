import type { AlgoDecision, ExecutionAlgorithm, MarketView, ParentState } from './algorithm.js';
import { aggressiveChild, type ChildStyle, type PricingContext, sliceChild } from './child-pricing.js';
import { CANCEL_RETRY_MS, cancelRequests } from './cancel-requests.js';
import type { Timeline } from './timeline.js';

/** How often a scheduled limit child's price is compared with the touch within its slice. */
export const REPRICE_CHECK_MS = 10_000;

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
 * can overfill), sends the tick's child. Within a tick, a limit child the market has left behind
 * (a buy below the bid) is moved to the touch: cancelled, then what it had not filled is sent
 * again at the new touch. At the end of the horizon it cancels what is open and
 * cleans up the rest (market, aggressive limit, or leave it). It keeps little state of its own —
 * sizes come from the parent's filled quantity, and the ticks already acted on from when the leg
 * last placed a child — so a fresh instance after a resume carries on where the schedule was.
 */
export function scheduledExecution(opts: ScheduledExecutionOptions): ExecutionAlgorithm {
  let timeline: Timeline | undefined;
  let handledTick = -1;
  let cleanupSent = false;
  /** A child cancelled to move it to the touch: what it had left, and the parent's fill then. */
  let moving: { quantity: number; filledBefore: number } | undefined;
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

  /** Within a tick: a resting limit child left behind by the market goes back to the touch. */
  const keepAtTouch = (state: ParentState, market: MarketView, remaining: number, wakeAt: number): AlgoDecision => {
    if (opts.style.type !== 'limit') return { wakeAt };
    const check = Math.min(wakeAt, state.now + REPRICE_CHECK_MS);
    if (state.working === 0) {
      if (!moving) return { wakeAt };
      const quantity = Math.min(remaining, moving.quantity - (state.filled - moving.filledBefore));
      moving = undefined;
      return quantity > 0 ? { place: [sliceChild(quantity, opts.style, market.quote, opts.pricing)], wakeAt: check } : { wakeAt };
    }
    const touch = sliceChild(1, opts.style, market.quote, opts.pricing).limitPrice;
    const buy = opts.pricing.side === 'buy';
    const behind = state.openChildren.filter((c) => c.limitPrice !== undefined && touch !== undefined && c.filled < c.quantity && (buy ? c.limitPrice < touch : c.limitPrice > touch));
    if (behind.length === 0 || moving) return { wakeAt: check };
    const cancel = cancelsDue(state);
    if (cancel.length === 0) return { wakeAt: check };
    moving = { quantity: behind.reduce((sum, c) => sum + c.quantity - c.filled, 0), filledBefore: state.filled };
    return { cancel, cancelReason: 'reprice', wakeAt: check };
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
      if (j <= handledTick) return keepAtTouch(state, market, remaining, wakeAt);
      if (state.working > 0) return withCancels(state, { wakeAt }, 'next_slice');
      handledTick = j;
      moving = undefined;
      const quantity = Math.min(remaining, Math.max(0, opts.quantityAt(j, state, market, remaining)));
      if (quantity <= 0) return { wakeAt };
      return { place: [sliceChild(quantity, opts.style, market.quote, opts.pricing)], wakeAt: opts.style.type === 'limit' ? Math.min(wakeAt, now + REPRICE_CHECK_MS) : wakeAt };
    },
  };
}
