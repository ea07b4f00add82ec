import type { BrokerCapabilities } from '../broker.js';
import { FYERS_TAG } from './wire-facts.js';

/** What Fyers API v3 supports and limits (wire-facts.ts), known before anything connects. */
export const FYERS_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  clientOrderId: { maxLength: 20, pattern: FYERS_TAG },
  orderRate: { perSecond: 10, perMinute: 200, perDay: 100_000 },
  modify: true,
  afterMarketOrders: true,
  exchanges: ['NSE', 'BSE'],
  holdingsIncludeTodaysTrades: false,
  simulatedMarket: false,
  acceptsSpeed: false,
  debitsCharges: true,
};
