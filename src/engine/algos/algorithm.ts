import type { Instrument, Quote } from '../../domain/instrument.js';
import type { OrderRequest, OrderType, TimeInForce } from '../../domain/order.js';
import type { ExecutionSpec, Leg } from '../../domain/plan.js';
import type { SessionLocator } from '../../market/trading-session.js';

/**
 * An execution algorithm works one parent order (a leg) by deciding, whenever it is woken, which
 * child orders to place or cancel and when to be woken next. It never talks to a broker and never
 * reads the wall clock: the runtime gives it the state and the market, enforces the invariants
 * (never more than the remaining quantity, lot and tick sizes, risk gate, rate limits) and sends.
 */
export interface ExecutionAlgorithm {
  readonly name: string;
  decide(state: ParentState, market: MarketView): AlgoDecision;
}

/**
 * The leg as its algorithm sees it. Its times are on the leg's schedule clock: the market clock
 * with the time the leg spent paused taken out, so a schedule resumes where it stopped (README
 * "Watching a run", pause). Without a pause the two are the same.
 */
export interface ParentState {
  parentId: string;
  leg: Leg;
  instrument: Instrument;
  /** Parent quantity (shares). */
  quantity: number;
  /** Confirmed filled so far. */
  filled: number;
  /** Quantity in live children that has not filled yet. */
  working: number;
  openChildren: ChildView[];
  startedAt: number;
  /**
   * When the leg last placed a child of its own (exits the broker placed excluded); undefined
   * before the first. A fresh instance after a resume learns from it which part of its schedule
   * has already been acted on.
   */
  lastPlacedAt?: number;
  now: number;
  /** Why the algorithm was woken. */
  reason: 'start' | 'timer' | 'fill' | 'child_done' | 'resume';
}

export interface ChildView {
  clientOrderId: string;
  quantity: number;
  filled: number;
  type: OrderType;
  limitPrice?: number;
  placedAt: number;
}

export interface MarketView {
  quote: Quote;
  /** Market volume traded since the parent started (shares), own fills included. */
  marketVolumeSinceStart: number;
  /** Arrival price (mid when the parent started), minor units. */
  arrivalPrice: number;
}

export interface ChildIntent {
  quantity: number;
  type: OrderType;
  /** Minor units; the runtime rounds it to the tick (passively) if it is not on one. */
  limitPrice?: number;
  triggerPrice?: number;
  /** A trailing stop's trail (see `OrderRequest.trail`). */
  trail?: OrderRequest['trail'];
  timeInForce?: TimeInForce;
  /** Shown quantity for iceberg children, where the broker supports it natively. */
  displayQuantity?: number;
  /** A bracket entry or an OCO pair, with its exits (see `OrderRequest.orderClass`). */
  orderClass?: 'bracket' | 'oco';
  takeProfit?: { limitPrice: number };
  stopLoss?: { triggerPrice: number; limitPrice?: number };
}

export interface AlgoDecision {
  place?: ChildIntent[];
  /** Client order ids of open children to cancel. */
  cancel?: string[];
  /** Why they are cancelled: their slice is over (the next one replaces them), the market left their price behind, or the horizon is over. */
  cancelReason?: 'next_slice' | 'reprice' | 'horizon';
  /** When to be woken again (clock ms); none = only on fills/child completion. */
  wakeAt?: number;
  /** The algorithm has nothing more to do; remaining quantity is left unfilled. */
  done?: boolean;
}

export interface AlgorithmContext {
  leg: Leg;
  instrument: Instrument;
  startAt: number;
  /**
   * The broker's intraday volume profile, when it gives one: cumulative fractions of a session's
   * volume at the end of equal bins (0 < … ≤ 1). The one representation the algorithms take.
   */
  volumeProfile?: number[];
  /** The broker's trading session, when it declares one; else the exchange's regular hours. */
  session?: SessionLocator;
}

export type AlgorithmFactory = (spec: ExecutionSpec, ctx: AlgorithmContext) => ExecutionAlgorithm;
