import type { BrokerCapabilities } from '../broker.js';
import { ALPACA_CLIENT_ORDER_ID } from './wire-facts.js';

/**
 * What Alpaca supports and limits (wire-facts.ts), known before anything connects. Quantities are
 * whole shares: Alpaca's fractional and notional orders are not used (ptexec's model is integer
 * shares). Alpaca runs bracket and OCO orders itself (`order_class`, alpaca-order-classes.ts): a
 * bracket's exits, and an OCO's stop-loss, are Alpaca's own orders, reported under `<id>TP` /
 * `<id>SL`. Its OCO only exits a position (`ocoSides`): the planner refuses a buying OCO leg. Trailing
 * stops run natively too (`trail_percent` or `trail_price`), as single day orders.
 */
export const ALPACA_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'],
  orderClasses: ['bracket', 'oco'],
  // Alpaca's OCO exits a held position; ptexec holds no shorts, so it sells.
  ocoSides: ['sell'],
  clientOrderId: { maxLength: 128, pattern: ALPACA_CLIENT_ORDER_ID },
  // Alpaca allows 200 requests a minute for every call of the account; ptexec keeps 60 of them for order writes (wire-facts.ts).
  orderRate: { perSecond: 3, perMinute: 60 },
  // Alpaca's PATCH replaces an order (a new id); ptexec follows the replacement.
  modify: true,
  // Extended hours need a limit order and `extended_hours`; not offered.
  afterMarketOrders: false,
  nativeIceberg: false,
  exchanges: ['NYSE', 'NASDAQ'],
  // Alpaca's positions are what the account owns, today's fills included.
  holdingsIncludeTodaysTrades: true,
  simulatedMarket: false,
  acceptsSpeed: false,
  // Alpaca charges no commission; the regulatory fees on sells are debited from cash.
  debitsCharges: true,
};
