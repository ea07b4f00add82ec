import { legStatus } from '../../domain/leg-status.js';
import { isTerminal } from '../../domain/order.js';
import { sideSign } from '../../domain/side.js';
import type { LegView, TotalsView } from './dashboard-model.js';
import type { LegState, MarketState } from './leg-state.js';

/**
 * The arithmetic of a frame, from the legs' kept state and the latest market samples: what the
 * legs table and the totals show. It runs per frame, not per event, so it may allocate.
 */

export function legView(leg: LegState, sample: MarketState | undefined): LegView {
  const avgPrice = leg.filled > 0 ? leg.filledValue / leg.filled : null;
  const s = sideSign(leg.side);
  const slippageBps = avgPrice !== null && leg.arrivalPrice ? (s * (avgPrice - leg.arrivalPrice) * 10_000) / leg.arrivalPrice : null;
  return {
    index: leg.index,
    symbol: leg.symbol,
    exchange: leg.exchange,
    side: leg.side,
    algo: leg.algo,
    quantity: leg.quantity,
    filled: leg.filled,
    filledValue: leg.filledValue,
    avgPrice,
    arrivalPrice: leg.arrivalPrice,
    decisionPrice: leg.decisionPrice,
    slippageBps,
    participation: participation(leg, sample),
    openChildren: leg.openChildren,
    status: legStatus({
      // A leg worked without a parent record is working once it has orders or fills.
      order: leg.parentStatus ?? (leg.filled > 0 || leg.sentOrders > 0 ? 'accepted' : null),
      quantity: leg.quantity,
      filled: leg.filled,
      paused: leg.pausedAt !== null,
      everyOrderRejected: leg.sentOrders > 0 && leg.rejectedOrders === leg.sentOrders,
    }),
    lastReason: leg.lastReason,
    orderKind: leg.order?.kind ?? null,
    order: leg.order?.label ?? null,
    orderPhrase: leg.order?.phrase ?? null,
    route: leg.route,
  };
}

/** Own volume over market volume since the leg started, own fills included in the market's. */
function participation(leg: LegState, sample: MarketState | undefined): number | null {
  if (leg.volumeBaseline === null) return null;
  if (!sample || sample.volume === null) return null;
  const marketVolume = Math.max(sample.volume - leg.volumeBaseline, leg.filled);
  return marketVolume > 0 ? leg.filled / marketVolume : null;
}

/**
 * When the working legs' horizons end, pauses included: a pause moves a leg's horizon by its
 * length (the engine's rule), an ongoing one up to `clock`. `shiftMs` is how far pauses moved it.
 */
export function horizon(legs: Iterable<LegState>, clock: number): { endsAt: number; shiftMs: number } | null {
  let planned: number | null = null;
  let endsAt: number | null = null;
  for (const leg of legs) {
    if (leg.horizonMs === null || leg.startedAt === null) continue;
    if (leg.parentStatus !== null && isTerminal(leg.parentStatus)) continue;
    const end = leg.startedAt + leg.horizonMs;
    planned = Math.max(planned ?? end, end);
    endsAt = Math.max(endsAt ?? end, end + legPausedMs(leg, clock));
  }
  return planned === null || endsAt === null ? null : { endsAt, shiftMs: endsAt - planned };
}

function legPausedMs(leg: LegState, clock: number): number {
  return leg.pausedMs + (leg.pausedAt === null ? 0 : Math.max(0, clock - leg.pausedAt));
}

/**
 * Implementation shortfall so far (EXECUTION.md): delay s·S·(P₀ − P_d), trading s·f·(P̄ − P₀),
 * opportunity s·(S − f)·(P_now − P₀) marked at the latest mid, plus charges; bps over S·P_d.
 */
export function totals(legs: Iterable<LegState>, sampleOf: (leg: LegState) => MarketState | undefined, charges: number, fills: number): TotalsView {
  let ordered = 0;
  let filled = 0;
  let bought = 0;
  let sold = 0;
  let shortfall = 0;
  let paper = 0;
  for (const leg of legs) {
    ordered += leg.quantity;
    filled += leg.filled;
    if (leg.side === 'buy') bought += leg.filledValue;
    else sold += leg.filledValue;
    const decision = leg.decisionPrice ?? leg.arrivalPrice;
    if (decision === null) continue;
    const arrival = leg.arrivalPrice ?? decision;
    const s = sideSign(leg.side);
    paper += leg.quantity * decision;
    const delay = s * leg.quantity * (arrival - decision);
    const trading = s * (leg.filledValue - leg.filled * arrival);
    const current = currentPrice(sampleOf(leg));
    const unfilled = Math.max(0, leg.quantity - leg.filled);
    const opportunity = current === null ? 0 : s * unfilled * (current - arrival);
    shortfall += delay + trading + opportunity;
  }
  shortfall = Math.round(shortfall) + charges;
  return {
    orderedQuantity: ordered,
    filledQuantity: filled,
    tradedValue: bought + sold,
    boughtValue: bought,
    soldValue: sold,
    shortfall,
    shortfallBps: paper > 0 ? (shortfall * 10_000) / paper : null,
    charges,
    fillRate: ordered > 0 ? filled / ordered : null,
    fills,
  };
}

/** The latest mid, or the last trade when the book is one-sided or empty. */
function currentPrice(sample: MarketState | undefined): number | null {
  if (!sample) return null;
  if (sample.bid !== null && sample.ask !== null && sample.bid > 0 && sample.ask > 0) return (sample.bid + sample.ask) / 2;
  return sample.last;
}
