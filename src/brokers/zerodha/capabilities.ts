import type { BrokerCapabilities } from '../broker.js';
import { KITE_TAG } from './kite-mapping.js';

/** What Kite Connect supports and limits (BROKERS.md), known before anything connects. */
export const ZERODHA_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  clientOrderId: { maxLength: 20, pattern: KITE_TAG },
  orderRate: { perSecond: 10, perMinute: 400, perDay: 5000 },
  marketProtection: true,
  modify: true,
  afterMarketOrders: true,
  nativeIceberg: true,
  exchanges: ['NSE', 'BSE'],
  holdingsIncludeTodaysTrades: false,
  simulatedMarket: false,
  acceptsSpeed: false,
  debitsCharges: true,
};
