import type { BrokerCapabilities } from '../broker.js';
import { IBKR_COID } from './wire-facts.js';

/** What IBKR's Client Portal Web API supports and limits (wire-facts.ts), known before anything connects. */
export const IBKR_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  clientOrderId: { maxLength: 40, pattern: IBKR_COID },
  // The gateway's 10 requests a second are shared by every call, orders included.
  orderRate: { perSecond: 10 },
  marketProtection: false,
  modify: true,
  // An order sent outside regular hours waits (PreSubmitted) for the session; ptexec does not ask for it.
  afterMarketOrders: false,
  nativeIceberg: false,
  exchanges: ['NYSE', 'NASDAQ'],
  // IBKR reports one position per contract, today's trades included.
  holdingsIncludeTodaysTrades: true,
  simulatedMarket: false,
  acceptsSpeed: false,
  debitsCharges: true,
};
