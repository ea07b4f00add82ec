import type { BrokerCapabilities } from '../broker.js';
import { ALPACA_CLIENT_ORDER_ID } from './wire-facts.js';

/**
 * What Alpaca supports and limits (wire-facts.ts), known before anything connects. Quantities are
 * whole shares: Alpaca's fractional and notional orders are not used (ptexec's model is integer
 * shares). Alpaca runs bracket, OCO and trailing-stop orders itself, but ptexec does not map them
 * yet: none is declared, so the planner refuses such legs before sending.
 */
export const ALPACA_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
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
