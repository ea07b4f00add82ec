import type { BrokerCapabilities } from '../broker.js';
import { GROWW_LIMITS } from './wire-facts.js';

/** Our client order ids as the engine makes them: letters and digits (padded into an `order_reference_id`, see groww-reference.ts). */
export const GROWW_CLIENT_ID = /^[A-Za-z0-9]{1,19}$/;

/**
 * What the Groww Trading API supports and limits, known before anything connects: market, limit,
 * SL and SL-M orders, DAY validity only (no IOC), modify in place, no after-market flag on the
 * order API, no iceberg or bracket/OCO on the order API (its GTT/OCO "smart orders" are triggers,
 * not orders carrying our reference).
 */
export const GROWW_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  clientOrderId: { maxLength: 19, pattern: GROWW_CLIENT_ID },
  orderRate: { perSecond: GROWW_LIMITS.orders[0].limit, perMinute: GROWW_LIMITS.orders[1].limit },
  marketProtection: false,
  modify: true,
  afterMarketOrders: false,
  nativeIceberg: false,
  exchanges: ['NSE', 'BSE'],
  holdingsIncludeTodaysTrades: false,
  simulatedMarket: false,
  acceptsSpeed: false,
  debitsCharges: true,
};
