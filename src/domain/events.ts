import type { Exchange } from './instrument.js';
import type { OrderClass, OrderStatus, OrderType, Product, TimeInForce } from './order.js';
import type { Side } from './side.js';

/**
 * The facts ptexec records. Events are immutable and append-only; projections are derived from
 * them. Other areas (risk, settlement, …) add their own event types in their own files; the
 * store accepts any `type` and projects the ones it knows.
 */
/**
 * `partial`: every leg the run traded is complete, but lines of the target were left out (legs
 * blocked by the pre-trade checks under `--allow-partial`, buys dropped for lack of cash).
 */
export type RunStatus = 'planned' | 'running' | 'paused' | 'completed' | 'partial' | 'incomplete' | 'blocked' | 'interrupted' | 'failed';

export interface RunCreated {
  type: 'run.created';
  payload: {
    runId: string;
    broker: string;
    account: string;
    tradingDate: string;
    targetHash: string;
    source: string;
    dryRun: boolean;
    options: Record<string, unknown>;
  };
}

export interface RunPlanned {
  type: 'run.planned';
  payload: {
    legs: unknown[];
    skipped: unknown[];
    /** Legs of the plan the pre-trade checks blocked and `--allow-partial` left out (BlockedLeg). */
    blocked?: unknown[];
    notes: string[];
    accountValue: number;
    cashBefore: number;
    currency: string;
  };
}

export interface RunStatusChanged {
  type: 'run.status';
  payload: { status: RunStatus; reason?: string; summary?: Record<string, unknown> };
}

export interface OrderCreated {
  type: 'order.created';
  payload: {
    clientOrderId: string;
    parentId?: string;
    leg: number;
    broker: string;
    account: string;
    symbol: string;
    exchange: Exchange;
    side: Side;
    type: OrderType;
    quantity: number;
    limitPrice?: number;
    triggerPrice?: number;
    timeInForce: TimeInForce;
    product: Product;
    algo?: string;
    /** Arrival/decision prices recorded when the order starts (minor units). */
    arrivalPrice?: number;
    decisionPrice?: number;
    /** A bracket entry or an OCO: the exits the broker is asked to run with it. */
    orderClass?: Exclude<OrderClass, 'simple'>;
    takeProfit?: { limitPrice: number };
    stopLoss?: { triggerPrice: number; limitPrice?: number };
    /**
     * An exit leg the broker placed for a linked order of ours (`<id>TP` / `<id>SL`): the client
     * order id of that order, and which exit this is. Recorded when the broker first reports it.
     */
    exitOf?: string;
    exitRole?: ExitRole;
  };
}

export type ExitRole = 'take_profit' | 'stop_loss';

/**
 * The broker changed an order's quantity itself: a bracket's exits grow with the entry's fills
 * and shrink when their sibling fills in part.
 */
export interface OrderResized {
  type: 'order.resized';
  payload: { clientOrderId: string; from: number; to: number; reason: string };
}

export interface OrderStatusChanged {
  type: 'order.status';
  payload: {
    clientOrderId: string;
    from: OrderStatus;
    to: OrderStatus;
    brokerOrderId?: string;
    reason?: string;
    brokerStatus?: string;
  };
}

export interface FillRecorded {
  type: 'fill.recorded';
  payload: {
    clientOrderId: string;
    tradeId: string;
    brokerOrderId: string;
    broker: string;
    account: string;
    symbol: string;
    exchange: Exchange;
    side: Side;
    quantity: number;
    /** Minor units. */
    price: number;
    ts: number;
  };
}

/**
 * A request to steer a run, from the CLI (`ptexec pause|resume|cancel`) or the dashboard keys.
 * The process executing the run polls for these and acts; `leg` absent = the whole run.
 */
export interface RunControlRequested {
  type: 'run.control';
  payload: { action: 'pause' | 'resume' | 'cancel'; leg?: number; by: string };
}

/**
 * The engine paused or resumed a leg (acting on a `run.control`, or resuming a run paused when
 * its process stopped), at the event's market time. A pause moves the leg's schedule and horizon
 * by the time it lasted: `deadline` is the leg's new backstop (market time).
 */
export interface LegPaused {
  type: 'leg.paused';
  payload: { leg: number; clientOrderId: string };
}

export interface LegResumed {
  type: 'leg.resumed';
  payload: { leg: number; clientOrderId: string; pausedMs: number; totalPausedMs: number; deadline: number };
}

/** Something the user should see (rejection, retry, reconnect, circuit open, …). */
export interface RunAlert {
  type: 'run.alert';
  payload: { level: 'info' | 'warn' | 'error'; source: string; message: string; leg?: number };
}

export type CoreEvent = RunCreated | RunPlanned | RunStatusChanged | OrderCreated | OrderStatusChanged | OrderResized | FillRecorded | RunControlRequested | LegPaused | LegResumed | RunAlert;

/**
 * An event about to be appended. `runId` is null for events that belong to no run (halt, …).
 * Its recording time is not given: the store stamps every event with its own wall clock.
 */
export interface NewEvent<T extends string = string, P = unknown> {
  runId: string | null;
  type: T;
  payload: P;
  /**
   * The engine's clock when the event happened: market time, which on the paper broker at
   * `--speed` is simulated and runs ahead of the wall clock. Absent for events recorded outside
   * an engine (a halt, a control request from another terminal).
   */
  marketTs?: number;
}

export interface StoredEvent<T extends string = string, P = unknown> extends NewEvent<T, P> {
  seq: number;
  /** Wall-clock time at which the store recorded the event. */
  ts: number;
}

/** The event's market time, or its recording time when it has none (events of no engine, older logs). */
export function marketTimeOf(event: Pick<StoredEvent, 'ts' | 'marketTs'>): number {
  return event.marketTs ?? event.ts;
}

export function coreEvent<E extends CoreEvent>(runId: string | null, type: E['type'], payload: E['payload'], marketTs?: number): NewEvent {
  return { runId, type, payload, marketTs };
}
