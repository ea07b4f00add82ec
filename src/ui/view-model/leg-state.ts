import type { OrderStatus } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import type { LegView } from './dashboard-model.js';
import type { LegOrder } from './leg-order.js';

/** What the view model keeps per leg between events; the leg's figures are derived per frame. */
export interface LegState extends Pick<LegView, 'index' | 'symbol' | 'exchange' | 'side' | 'algo' | 'quantity' | 'decisionPrice' | 'arrivalPrice' | 'filled' | 'filledValue' | 'openChildren' | 'lastReason' | 'route'> {
  /** The order the leg is sent as, when its line names one (stop, bracket, …). */
  order: LegOrder | null;
  horizonMs: number | null;
  parentId: string | null;
  parentStatus: OrderStatus | null;
  /** Orders the leg sent, and how many of them the broker rejected. */
  sentOrders: number;
  rejectedOrders: number;
  startedAt: number | null;
  /** Market cumulative volume when the leg started; null until a sample is seen. */
  volumeBaseline: number | null;
  /** Market time the leg's current pause began, and the length of its ended pauses. */
  pausedAt: number | null;
  pausedMs: number;
  /** `marketKey(exchange, symbol)`, made once: each frame looks every leg's sample up. */
  readonly marketKey: string;
}

/** The latest market sample of one instrument. */
export interface MarketState {
  ts: number;
  bid: number | null;
  ask: number | null;
  last: number | null;
  volume: number | null;
}

/** A leg first heard of (planned, or an order of it created): nothing ordered or filled yet. */
export function newLegState(index: number, symbol: string, exchange: string, side: Side): LegState {
  return {
    index,
    symbol,
    exchange,
    side,
    algo: '',
    quantity: 0,
    decisionPrice: null,
    arrivalPrice: null,
    horizonMs: null,
    parentId: null,
    parentStatus: null,
    filled: 0,
    filledValue: 0,
    openChildren: 0,
    sentOrders: 0,
    rejectedOrders: 0,
    lastReason: null,
    route: null,
    startedAt: null,
    volumeBaseline: null,
    order: null,
    pausedAt: null,
    pausedMs: 0,
    marketKey: marketKey(exchange, symbol),
  };
}

export function marketKey(exchange: string, symbol: string): string {
  return `${exchange}:${symbol}`;
}
