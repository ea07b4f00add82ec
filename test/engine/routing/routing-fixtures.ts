import type { AccountDefinition } from '../../../src/domain/accounts.js';
import type { Exchange } from '../../../src/domain/instrument.js';
import { sellableKey } from '../../../src/engine/routing/sellable.js';
import type { RoutableAccount, RoutableLeg, VenueQuote } from '../../../src/engine/routing/types.js';

/** Builders of the router's inputs for the routing tests: an Indian account at a discount broker, a leg on NSE and BSE. */

export interface AccountSpec {
  alias: string;
  broker?: string;
  role?: AccountDefinition['role'];
  cash?: number;
  holds?: Record<string, number>;
  /** Flat charges per order, minor units, plus `bps` of the value. */
  flat?: number;
  bps?: number;
  permissions?: Partial<AccountDefinition['permissions']>;
  capabilities?: Partial<RoutableAccount['capabilities']>;
  ordersLeftToday?: number;
  health?: Partial<RoutableAccount['health']>;
  quality?: RoutableAccount['quality'];
  /** The account's share of a household target (`accounts.<alias>.share`). */
  share?: number;
  /** Shares owned per symbol, settled or not; absent = what `holds` lists (all settled). */
  owns?: Record<string, number>;
}

export function account(spec: AccountSpec): RoutableAccount {
  const flat = spec.flat ?? 2000;
  const bps = spec.bps ?? 0;
  return {
    definition: { alias: spec.alias, broker: spec.broker ?? 'paper', role: spec.role ?? 'secondary', permissions: { buy: true, sell: true, ...spec.permissions }, ...(spec.share !== undefined ? { share: spec.share } : {}) },
    currency: 'INR',
    cash: spec.cash ?? 0,
    sellable: new Map(Object.entries(spec.holds ?? {}).map(([k, q]) => [k.includes('@') ? k : sellableKey(k, 'NSE'), q])),
    capabilities: { orderTypes: ['market', 'limit'], orderClasses: [], nativeIceberg: false, afterMarketOrders: false, exchanges: ['NSE', 'BSE'], ...spec.capabilities },
    charges: ({ quantity, price }) => flat + Math.round((quantity * price * bps) / 10_000),
    ordersLeftToday: spec.ordersLeftToday ?? Infinity,
    health: { breaker: 'closed', sessionUsable: true, errorRate: 0, ...spec.health },
    ...(spec.quality ? { quality: spec.quality } : {}),
    holdings: new Map(Object.entries(spec.owns ?? spec.holds ?? {}).map(([k, q]) => [k.split('@')[0]!, q])),
  };
}

export function venue(exchange: Exchange, bid: number, ask: number, depth = 10_000): VenueQuote {
  return { exchange, bid, ask, bidDepth: depth, askDepth: depth };
}

export function leg(spec: Partial<RoutableLeg> & { quantity: number }): RoutableLeg {
  return {
    key: spec.key ?? 'NSE:INFY',
    symbol: 'INFY',
    side: 'buy',
    price: 1500_00,
    orderType: 'limit',
    venues: [venue('NSE', 1499_50, 1500_50), venue('BSE', 1499_00, 1501_00)],
    ...spec,
  };
}
