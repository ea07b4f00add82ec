import type { BrokerCapabilities } from '../broker.js';
import { UPSTOX_TAG } from './wire-facts.js';

/** What Upstox supports and limits (wire-facts.ts), known before anything connects. */
export const UPSTOX_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  clientOrderId: { maxLength: 20, pattern: UPSTOX_TAG },
  orderRate: { perSecond: 10, perMinute: 500 },
  // v3 placement takes an optional `market_protection`; ptexec leaves it to Upstox's default.
  marketProtection: false,
  modify: true,
  afterMarketOrders: true,
  // Upstox has `disclosed_quantity`, but no iceberg variety that slices an order by itself.
  nativeIceberg: false,
  exchanges: ['NSE', 'BSE'],
  holdingsIncludeTodaysTrades: false,
  simulatedMarket: false,
  acceptsSpeed: false,
  debitsCharges: true,
};
