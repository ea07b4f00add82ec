import type { ExitRole, OrderCreated } from '../../domain/events/index.js';
import { instrumentKey, type Instrument, type InstrumentKey } from '../../domain/instrument.js';
import { legStatus, type EndedLegStatus } from '../../domain/leg-status.js';
import type { OrderRequest, OrderStatus } from '../../domain/order.js';
import type { Leg } from '../../domain/plan.js';
import type { ExecutionAlgorithm } from '../algos/algorithm.js';
import { addToArrivalCost, type ArrivalCost } from '../risk/breakers/run-slippage.js';

/** One child order as the runtime tracks it. */
export interface ChildOrder {
  clientOrderId: string;
  parentId: string;
  leg: number;
  seq: number;
  request: OrderRequest;
  status: OrderStatus;
  brokerOrderId?: string;
  filled: number;
  filledValue: number;
  tradeIds: Set<string>;
  placedAt: number;
  /** `placedAt` on the leg's schedule clock (the market clock less the time the leg spent paused). */
  scheduledAt: number;
  lastUpdateAt: number;
  reason?: string;
  /** Why we asked the broker to cancel it, while that cancel may still take effect. */
  cancelReason?: string;
  /** Filled quantity the broker's order status reported, when ahead of the trades we hold. */
  reportedFilled?: number;
  /** Since when the reported filled quantity has been ahead of our recorded fills. */
  fillGapSince?: number;
  /** An exit leg the broker placed for our linked order `exitOf` (see linked-exits.ts). */
  exitOf?: string;
  exitRole?: ExitRole;
}

/** How a leg ended when its run ended or stopped (the leg vocabulary, src/domain/leg-status.ts). */
export type LegOutcome = EndedLegStatus;

/** One leg's parent order. */
export interface ParentOrder {
  parentId: string;
  leg: Leg;
  /** The leg's instrument, looked up once. */
  instrument: Instrument;
  status: OrderStatus;
  algo?: ExecutionAlgorithm;
  children: ChildOrder[];
  filled: number;
  filledValue: number;
  startedAt: number;
  /** Schedule time of the leg's newest child of its own (see ParentState.lastPlacedAt). */
  lastPlacedAt?: number;
  /** The runtime's backstop: start + horizon (+ clean-up grace) + the time the leg spent paused. */
  deadline: number;
  arrivalPrice: number;
  volumeAtStart: number;
  algoDone: boolean;
  paused: boolean;
  /** Market time the current pause began (while paused). */
  pausedAt?: number;
  /** Time spent in pauses that have ended: the schedule clock runs this far behind the market's. */
  pausedMs: number;
  cancelRequested: boolean;
  wakeTimer?: { id: number };
  deadlineTimer?: { id: number };
  lastReason?: string;
  rejections: number;
}

/** A leg's parent order as the runtime starts tracking it (started now, or rebuilt from its events). */
export function newParent(start: Pick<ParentOrder, 'parentId' | 'leg' | 'instrument' | 'algo' | 'startedAt' | 'deadline' | 'arrivalPrice' | 'volumeAtStart'>): ParentOrder {
  // Every field written out, in one order: one object shape for every parent (the hot path reads them often).
  return {
    parentId: start.parentId,
    leg: start.leg,
    instrument: start.instrument,
    status: 'created',
    algo: start.algo,
    children: [],
    filled: 0,
    filledValue: 0,
    startedAt: start.startedAt,
    deadline: start.deadline,
    arrivalPrice: start.arrivalPrice,
    volumeAtStart: start.volumeAtStart,
    algoDone: false,
    paused: false,
    pausedMs: 0,
    cancelRequested: false,
    rejections: 0,
  };
}

/** A pause has ended: the leg's schedule clock falls behind by its length, and its deadline moves by it. */
export function endPause(parent: ParentOrder, pausedMs: number): void {
  parent.paused = false;
  parent.pausedAt = undefined;
  parent.pausedMs += pausedMs;
  parent.deadline += pausedMs;
}

/** Cancelling a stopped run: the parents (legs) in scope, the reason recorded, refused cancels per order. */
export interface Cancelling {
  scope: Set<string>;
  reason: string;
  failures: Map<string, number>;
}

/**
 * One run's orders and whether it has stopped, shared by the runtime's parts; each part keeps
 * the rest of its state to itself.
 */
export class RunState {
  readonly parents = new Map<string, ParentOrder>();
  readonly children = new Map<string, ChildOrder>();
  /** The children in the order they were added (never removed), so a part can take the new ones without scanning the rest. */
  readonly childrenAdded: ChildOrder[] = [];
  readonly byBrokerId = new Map<string, ChildOrder>();
  /** The kill switch stopped the run: nothing more is sent. */
  halted?: { reason: string };
  /** Stopped, resumably (Ctrl-C, a lost login, the broker out of reach, the database held): nothing more is sent. */
  interrupted?: string;
  /** Set while only cancelling a stopped run's orders (cancelOpen): no decisions, nothing sent but cancels. */
  cancelling?: Cancelling;
  /** What the legs' fills cost against their arrival prices, kept as fills are recorded (the run-wide breakers read it after every step). */
  readonly arrivalCost: ArrivalCost = { cost: 0, atArrival: 0 };
  private legsInOrder?: ParentOrder[];
  private firstOpenLeg = 0;

  /** A fill of the leg's own (not a broker-placed exit's): its filled quantity, value and the run's cost against arrival. */
  addLegFill(parent: ParentOrder, quantity: number, price: number): void {
    parent.filled += quantity;
    parent.filledValue += quantity * price;
    addToArrivalCost(this.arrivalCost, parent.leg.side, quantity, quantity * price, parent.arrivalPrice);
  }

  /** The first leg still open (`created` counts), or none once every leg has ended. */
  firstOpen(): ParentOrder | undefined {
    return this.allLegsEnded() ? undefined : this.legsInOrder![this.firstOpenLeg];
  }

  /**
   * Whether every leg has ended. A leg that has ended never reopens, so the legs are looked at
   * in order from the first one still open: asked after every step, this costs the legs once
   * over the run, not once per step. (Every leg is in `parents` before the first ask.)
   */
  allLegsEnded(): boolean {
    const legs = (this.legsInOrder ??= [...this.parents.values()]);
    while (this.firstOpenLeg < legs.length) {
      const p = legs[this.firstOpenLeg]!;
      if (isOpen(p.status) || p.status === 'created') return false;
      this.firstOpenLeg++;
    }
    return true;
  }

  addChild(child: ChildOrder): void {
    this.children.set(child.clientOrderId, child);
    this.childrenAdded.push(child);
  }

  parentOf(child: ChildOrder): ParentOrder {
    return this.parents.get(child.parentId)!;
  }

  childFor(clientOrderId: string | undefined, brokerOrderId: string | undefined): ChildOrder | undefined {
    return (clientOrderId ? this.children.get(clientOrderId) : undefined) ?? (brokerOrderId ? this.byBrokerId.get(brokerOrderId) : undefined);
  }

  bindBrokerId(child: ChildOrder, brokerOrderId: string): void {
    child.brokerOrderId = brokerOrderId;
    this.byBrokerId.set(brokerOrderId, child);
  }
}

export function instrumentOf(instruments: ReadonlyMap<InstrumentKey, Instrument>, leg: Leg): Instrument {
  const instrument = instruments.get(instrumentKey(leg.exchange, leg.symbol));
  if (!instrument) throw new Error(`no instrument for ${leg.exchange}:${leg.symbol}`);
  return instrument;
}

/** Quantity the leg has working at the broker: its own open orders (an exit pair counts once, through the order that carries our id). */
export function working(parent: ParentOrder): number {
  return parent.children.filter((c) => isOpen(c.status) && c.exitOf === undefined).reduce((s, c) => s + Math.max(0, c.request.quantity - c.filled), 0);
}

/** A child that may still fill. */
export function isOpen(status: OrderStatus): boolean {
  return status === 'pending_submit' || status === 'unknown' || status === 'accepted' || status === 'partially_filled' || status === 'pending_cancel' || status === 'pending_replace';
}

export function legOutcome(parent: ParentOrder): LegOutcome {
  return legStatus({
    order: parent.status,
    quantity: parent.leg.quantity,
    filled: parent.filled,
    cancelRequested: parent.cancelRequested,
    everyOrderRejected: parent.children.length > 0 && parent.children.every((c) => c.status === 'rejected'),
    ended: true,
  });
}

/** A child order as the runtime starts tracking it (placed by us, or an exit leg the broker placed). */
export function newChild(parent: ParentOrder, request: OrderRequest, seq: number, now: number, link?: { exitOf: string; exitRole: ExitRole }): ChildOrder {
  const child: ChildOrder = {
    clientOrderId: request.clientOrderId,
    parentId: parent.parentId,
    leg: parent.leg.index,
    seq,
    request,
    status: 'created',
    filled: 0,
    filledValue: 0,
    tradeIds: new Set(),
    placedAt: now,
    scheduledAt: now - parent.pausedMs,
    lastUpdateAt: now,
    ...link,
  };
  parent.children.push(child);
  return child;
}

/** The `order.created` payload of a child order: the request as it will be (or was) sent. */
export function childCreatedPayload(parent: ParentOrder, request: OrderRequest, broker: { id: string; account: string }): OrderCreated['payload'] {
  const payload: OrderCreated['payload'] = {
    clientOrderId: request.clientOrderId,
    parentId: parent.parentId,
    leg: parent.leg.index,
    broker: broker.id,
    account: broker.account,
    symbol: request.symbol,
    exchange: request.exchange,
    side: request.side,
    type: request.type,
    quantity: request.quantity,
    limitPrice: request.limitPrice,
    triggerPrice: request.triggerPrice,
    timeInForce: request.timeInForce,
    product: request.product,
    algo: parent.leg.execution.algo,
  };
  if (request.trail) payload.trail = request.trail;
  if (request.orderClass === 'bracket' || request.orderClass === 'oco') Object.assign(payload, { orderClass: request.orderClass, takeProfit: request.takeProfit, stopLoss: request.stopLoss });
  return payload;
}
