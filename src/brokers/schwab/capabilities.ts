import type { BrokerCapabilities } from '../broker.js';
import { SCHWAB_MAX_ORDER_LIMIT_PER_MINUTE } from './wire-facts.js';

/** What Schwab supports and limits (wire-facts.ts), known before anything connects. */
export const SCHWAB_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  // Schwab's order request has no client order id field: ptexec keeps its ids itself (the
  // placement journal) and matches lost placements by what was sent. Its own ids are short
  // letters and digits, like every other broker's.
  clientOrderId: { maxLength: 40, pattern: /^[A-Za-z0-9_-]{1,40}$/ },
  orderRate: { perSecond: SCHWAB_MAX_ORDER_LIMIT_PER_MINUTE / 60, perMinute: SCHWAB_MAX_ORDER_LIMIT_PER_MINUTE },
  marketProtection: false,
  // Schwab's replace (PUT) cancels the order and creates another under a new id: that is a cancel
  // and a new placement, which the engine does itself under a fresh client order id.
  modify: false,
  // Extended-hours sessions (AM/PM/SEAMLESS) exist, but ptexec trades the regular session only.
  afterMarketOrders: false,
  nativeIceberg: false,
  exchanges: ['NYSE', 'NASDAQ'],
  // Schwab's positions are the account's holdings, today's trades included (settledLongQuantity
  // tells the settled part).
  holdingsIncludeTodaysTrades: true,
  simulatedMarket: false,
  acceptsSpeed: false,
  debitsCharges: true,
};
