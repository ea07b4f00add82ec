import type { BrokerCapabilities, BrokerTraits } from '../broker.js';
import type { FixSessionSettings } from './config.js';

/** What is known of every FIX session before one is opened. */
export const FIX_TRAITS: BrokerTraits = { simulatedMarket: false, acceptsSpeed: false, debitsCharges: true };

/** One session's capabilities: the order types of FIX 4.4 OrdType, ClOrdID and throttle as configured. */
export function fixCapabilities(settings: Pick<FixSessionSettings, 'clordid_max_length' | 'orders_per_second' | 'exchange'>): BrokerCapabilities {
  return {
    ...FIX_TRAITS,
    orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
    clientOrderId: { maxLength: settings.clordid_max_length, pattern: /^[A-Za-z0-9]+$/ },
    orderRate: { perSecond: settings.orders_per_second },
    modify: true,
    afterMarketOrders: false,
    nativeIceberg: false,
    exchanges: [settings.exchange as BrokerCapabilities['exchanges'][number]],
    // Holdings are the start of the day's (RequestForPositions SOD, or the account file); today's trades are positions.
    holdingsIncludeTodaysTrades: false,
  };
}
