import type { BrokerCapabilities } from '../broker.js';
import { ANGEL_ORDER_TAG } from './wire.js';

/** What SmartAPI supports and limits (BROKERS.md, wire.ts), known before anything connects. */
export const ANGELONE_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  clientOrderId: { maxLength: 20, pattern: ANGEL_ORDER_TAG },
  orderRate: { perSecond: 20, perMinute: 500 },
  modify: true,
  afterMarketOrders: true,
  // SmartAPI takes a disclosed quantity but has no iceberg variety: ptexec's own iceberg is used.
  nativeIceberg: false,
  exchanges: ['NSE', 'BSE'],
  // Like Kite: today's delivery trades are positions until the next day (UNVERIFIED for SmartAPI; see AngelOneSnapshot.holdings).
  holdingsIncludeTodaysTrades: false,
  simulatedMarket: false,
  acceptsSpeed: false,
  debitsCharges: true,
};
