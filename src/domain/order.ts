import type { Exchange } from './instrument.js';
import type { Side } from './side.js';
import type { Trail } from './trailing-stop.js';

/** `trailing_stop`: a stop whose price follows the market by `trail` (src/domain/trailing-stop.ts). */
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
export type TimeInForce = 'day' | 'ioc';
/** Indian product codes map from these; US brokers ignore them. */
export type Product = 'delivery' | 'intraday';

/** What the engine asks a broker to do. Prices are minor units on the instrument's tick. */
export interface OrderRequest {
  clientOrderId: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  type: OrderType;
  quantity: number;
  limitPrice?: number;
  triggerPrice?: number;
  /** A trailing stop's distance from the best price since it was placed: a percent or a price offset, exactly one. */
  trail?: Trail;
  timeInForce: TimeInForce;
  product: Product;
  /** After-market order: queued for the next session. */
  afterMarket?: boolean;
  /** Iceberg/disclosed quantity where the broker supports it natively. */
  displayQuantity?: number;
  /**
   * `bracket`: this order is an entry (market or limit) whose filled quantity the broker
   * protects with a take-profit limit and a stop-loss on the opposite side, one cancelling the
   * other. `oco`: two exit orders on `side` for `quantity` (a limit at the take-profit and a stop
   * at the stop-loss), one cancelling the other; `type` must be 'limit'. Absent = 'simple'.
   * Rules: src/domain/order-class.ts.
   */
  orderClass?: OrderClass;
  /** Bracket/OCO take-profit leg: a limit at this price (minor units, on the tick). */
  takeProfit?: { limitPrice: number };
  /** Bracket/OCO stop-loss leg: a stop at the trigger, or a stop-limit when `limitPrice` is set. */
  stopLoss?: { triggerPrice: number; limitPrice?: number };
}

export type OrderClass = 'simple' | 'bracket' | 'oco';

export const ORDER_STATUSES = [
  'created',
  'pending_submit',
  'unknown',
  'accepted',
  'partially_filled',
  'pending_cancel',
  'pending_replace',
  'filled',
  'cancelled',
  'rejected',
  'expired',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Statuses in which the broker may still fill the order (or may hold it without our knowing). */
export function isLive(status: OrderStatus): boolean {
  return !isTerminal(status) && status !== 'created';
}
