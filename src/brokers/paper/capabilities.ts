import type { BrokerCapabilities } from '../broker.js';
import { CLIENT_ID_PATTERN } from './order-entry.js';

/** A simulated market on a clock ptexec drives; it books trades as T1 at once and debits no charges. */
export const PAPER_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  clientOrderId: { maxLength: 40, pattern: CLIENT_ID_PATTERN },
  orderRate: { perSecond: 100 },
  exchanges: ['NSE', 'NYSE', 'NASDAQ'],
  orderClasses: ['bracket', 'oco'],
  modify: true,
  // It takes a disclosed quantity; with no visible book, showing part of an order changes nothing.
  nativeIceberg: true,
  holdingsIncludeTodaysTrades: true,
  simulatedMarket: true,
  acceptsSpeed: true,
  debitsCharges: false,
  // Its updates are delivered in-process and lost only under the `dropUpdate` fault (see PaperBroker's constructor).
  updatesComplete: true,
};
