import type { OrderClass, OrderRequest, OrderStatus } from '../order.js';

/** Which exit of a linked order an exit leg is. */
export type ExitRole = 'take_profit' | 'stop_loss';

/**
 * An order of a run: a leg's parent order (no `parentId`) or a child order sent to the broker.
 * Recorded before the request leaves the process (the intent to send).
 */
export interface OrderCreated {
  type: 'order.created';
  /** The broker request it becomes (a parent's is never sent as such), with the run's facts. */
  payload: Pick<OrderRequest, 'clientOrderId' | 'symbol' | 'exchange' | 'side' | 'type' | 'quantity' | 'limitPrice' | 'triggerPrice' | 'timeInForce' | 'product' | 'takeProfit' | 'stopLoss' | 'trail'> & {
    parentId?: string;
    leg: number;
    broker: string;
    account: string;
    algo?: string;
    /** Arrival/decision prices recorded when the order starts (minor units). */
    arrivalPrice?: number;
    decisionPrice?: number;
    /** A bracket entry or an OCO: the exits the broker is asked to run with it. */
    orderClass?: Exclude<OrderClass, 'simple'>;
    /**
     * An exit leg the broker placed for a linked order of ours (`<id>TP` / `<id>SL`): the client
     * order id of that order, and which exit this is. Recorded when the broker first reports it.
     */
    exitOf?: string;
    exitRole?: ExitRole;
  };
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

/**
 * The broker changed an order's quantity itself: a bracket's exits grow with the entry's fills
 * and shrink when their sibling fills in part.
 */
export interface OrderResized {
  type: 'order.resized';
  payload: { clientOrderId: string; from: number; to: number; reason: string };
}

export type OrderEvent = OrderCreated | OrderStatusChanged | OrderResized;
