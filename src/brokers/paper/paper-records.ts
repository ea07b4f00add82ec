import type { Currency } from '../../domain/money.js';
import type { Exchange } from '../../domain/instrument.js';
import type { OrderStatus, OrderType, Product, TimeInForce } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import type { Trail } from '../../domain/trailing-stop.js';

/** An order as the paper broker stores it. */
export interface PaperOrder {
  brokerOrderId: string;
  accountId: string;
  clientOrderId?: string;
  exchange: Exchange;
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  product: Product;
  quantity: number;
  filledQuantity: number;
  /** Σ quantity × price of the fills, minor units (exact). */
  filledValue: number;
  limitPrice?: number;
  triggerPrice?: number;
  /** Stop orders: whether the trigger has been hit. Always true for other types. */
  triggered: boolean;
  /** Trailing stops: the trail, and the water mark the stop (`triggerPrice`) stands behind (trailing-stops.ts). */
  trail?: Trail;
  trailMark?: number;
  status: OrderStatus;
  brokerStatus: string;
  statusMessage?: string;
  tradingDate: string;
  /** When a DAY order expires (UTC ms). */
  expiresAt: number;
  /** Arrival order, for time priority. */
  seq: number;
  createdAt: number;
  updatedAt: number;
}

export interface PaperTradeRow {
  tradeId: string;
  brokerOrderId: string;
  accountId: string;
  clientOrderId?: string;
  exchange: Exchange;
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  ts: number;
  tradingDate: string;
}

export interface PaperAccountRow {
  accountId: string;
  currency: Currency;
  cash: number;
}

export interface HoldingRow {
  exchange: Exchange;
  symbol: string;
  /** Settled quantity. */
  quantity: number;
  /** Bought but not yet settled (T+1). */
  t1Quantity: number;
  /** Total cost of the owned quantity, minor units. */
  cost: number;
}

export interface AnchorRow {
  step: number;
  logPrice: number;
}

/**
 * One bracket or OCO group. The parent is the bracket's entry, or an OCO's take-profit leg
 * (which carries the request's client order id, as Alpaca's OCO parent does).
 */
export interface PaperOrderLink {
  parentId: string;
  accountId: string;
  orderClass: 'bracket' | 'oco';
  exitSide: Side;
  takeProfitPrice: number;
  stopTriggerPrice: number;
  stopLimitPrice?: number;
  /** Quantity the exits cover: the entry's filled quantity once placed (bracket), the quantity (OCO). */
  protectedQuantity: number;
  takeProfitId?: string;
  stopLossId?: string;
  /** When the exits must be placed or resized to the entry's filled quantity (UTC ms). */
  exitsDueAt?: number;
  /** False once the group is over: nothing more is placed, resized or cancelled for it. */
  active: boolean;
}

/** Default starting cash: ₹1,00,00,000 in paise. */
export const DEFAULT_PAPER_CASH = 1_000_000_000;
export const DEFAULT_PAPER_ACCOUNT = 'PAPER';
