import type { Funds, Holding, Position } from '../domain/account.js';
import type { TradingSession } from '../market/trading-session.js';
import type { Trade } from '../domain/fill.js';
import type { Exchange, Instrument, Quote } from '../domain/instrument.js';
import type { OrderRequest, OrderStatus, OrderType } from '../domain/order.js';
import type { Side } from '../domain/side.js';

/**
 * The contract every broker adapter fulfils. It is shaped by the real brokers of BROKERS.md,
 * not by the paper broker: placement returns the broker's order id; the order book can be read
 * and searched by our client order id (Kite `tag`, Alpaca `client_order_id`, …) so an unknown
 * outcome can be resolved; fills arrive on a stream and can be re-read from the trade book.
 *
 * An adapter translates; it does not decide. It never retries a placement: on a timeout or
 * reset it throws `BrokerError('unknown_outcome')` and the engine resolves it.
 */
export interface Broker {
  readonly id: string;
  /** Account identifier as the broker names it (Kite user id, Alpaca account number, …). */
  readonly account: string;
  readonly capabilities: BrokerCapabilities;

  /** Verifies credentials and reachability. Throws `BrokerError('auth' | 'unavailable')`. */
  connect(): Promise<void>;
  close(): Promise<void>;

  /** Looks instruments up; unknown ones are simply absent from the result. */
  instruments(query: InstrumentQuery[]): Promise<Instrument[]>;
  /** Every equity the broker's instrument master lists, where it publishes one (`paper universe import --from`). */
  listInstruments?(): Promise<Instrument[]>;
  quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]>;
  holdings(): Promise<Holding[]>;
  positions(): Promise<Position[]>;
  funds(): Promise<Funds>;

  placeOrder(request: OrderRequest): Promise<PlaceOrderResult>;
  modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void>;
  cancelOrder(brokerOrderId: string): Promise<void>;
  /** Today's order book. */
  orders(): Promise<BrokerOrder[]>;
  /** The order carrying our client order id, if the broker has it. */
  findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined>;
  /** Today's trades (fills), optionally for one order. */
  trades(brokerOrderId?: string): Promise<BrokerTrade[]>;
  /**
   * The broker's own trading session (optional): the session containing `ts`, or the next one
   * when its market is closed. Where a broker gives it, the algorithms schedule by it rather
   * than by the exchange's regular hours, so the market and the schedules agree on what trades.
   */
  tradingSession?(exchange: Exchange, ts: number): TradingSession;
  /** The broker's intraday volume profile (optional): cumulative fractions of a session's volume at the end of `bins` equal bins. */
  cumulativeVolumeProfile?(exchange: Exchange, bins: number): number[];

  /**
   * Order updates and fills as they happen. The adapter reconnects by itself; after a
   * reconnect it emits `resync` so the engine re-reads the order and trade books.
   */
  subscribe(listener: BrokerEventListener): () => void;
}

export interface InstrumentQuery {
  symbol: string;
  exchange?: Exchange;
}

export interface BrokerCapabilities {
  orderTypes: readonly OrderType[];
  /** Longest client order id the broker accepts, and the characters allowed. */
  clientOrderId: { maxLength: number; pattern: RegExp };
  /** Published order-rate limits. */
  orderRate: { perSecond: number; perMinute?: number; perDay?: number };
  /** Market orders must carry protection (Kite); the adapter adds it, the engine may inspect it. */
  marketProtection?: boolean;
  /** Exchanges this broker trades. */
  exchanges: readonly Exchange[];
  /** Linked order classes the broker runs itself (see `OrderRequest.orderClass`); absent = none. */
  orderClasses?: readonly ('bracket' | 'oco')[];
  /** The broker changes a working order in place (`modifyOrder`); absent = it cannot, and ptexec cancels and replaces. */
  modify?: boolean;
  /** After-market orders, queued for the next session (Kite's `amo` variety, Upstox `is_amo`, …). */
  afterMarketOrders?: boolean;
  /** The exchange shows part of an order at a time (Kite's iceberg variety); ptexec's own iceberg algorithm works on every broker. */
  nativeIceberg?: boolean;
  /**
   * Whether `holdings()` already includes today's delivery trades (the paper broker books them
   * as T1 at once). Where it does not (Kite: today's delivery buys and sales of holdings are
   * positions until the next trading day), what the account owns is the holdings plus today's
   * delivery positions (`ownedInstruments`).
   */
  holdingsIncludeTodaysTrades: boolean;
  /**
   * The broker simulates its market (the paper broker): no real money, its own session (open
   * unless it follows the exchange calendar), its own seeded prices. A real broker's orders need
   * a confirmation nobody gave when there is no terminal to ask.
   */
  simulatedMarket: boolean;
  /** Its market runs on a clock ptexec drives (`--speed N`, `--speed max`); real markets run in real time. */
  acceptsSpeed: boolean;
  /** Charges (brokerage, taxes) are debited from the account's cash by the broker, as real brokers do. */
  debitsCharges: boolean;
  /**
   * Every change of every order reaches `subscribe` in this process, in order, and none can be
   * lost (the paper broker's market runs in-process). An order that has been silent is then
   * simply resting: the runtime does not re-read the whole order book to look for a lost update.
   * Absent = updates cross a network and may be lost.
   */
  updatesComplete?: boolean;
}

/** What is known of a broker before it is opened (flags are checked before anything connects). */
export type BrokerTraits = Pick<BrokerCapabilities, 'simulatedMarket' | 'acceptsSpeed' | 'debitsCharges'>;

export interface PlaceOrderResult {
  brokerOrderId: string;
}

export interface OrderChange {
  quantity?: number;
  limitPrice?: number;
  triggerPrice?: number;
  type?: OrderType;
}

/** An order as the broker reports it, with the status mapped onto ours. */
export interface BrokerOrder {
  brokerOrderId: string;
  clientOrderId?: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  type: OrderType;
  quantity: number;
  filledQuantity: number;
  /** Average fill price in minor units (may be fractional); 0 when nothing filled. */
  averagePrice: number;
  limitPrice?: number;
  status: OrderStatus;
  /** The broker's own status word, kept for messages. */
  brokerStatus: string;
  statusMessage?: string;
  updatedAt: number;
}

/** One execution as the broker reports it (a fill without its run: src/domain/fill.ts). */
export type BrokerTrade = Trade;

export type BrokerEvent =
  | { type: 'order'; order: BrokerOrder }
  | { type: 'trade'; trade: BrokerTrade }
  | { type: 'resync'; reason: string }
  | { type: 'disconnected'; reason: string }
  | { type: 'error'; error: Error };

export type BrokerEventListener = (event: BrokerEvent) => void;
