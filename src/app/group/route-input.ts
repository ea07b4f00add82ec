import type { BrokerCapabilities } from '../../brokers/broker.js';
import type { AccountDefinition } from '../../domain/accounts.js';
import { instrumentKey, type Instrument } from '../../domain/instrument.js';
import type { AccountSnapshot, Leg } from '../../domain/plan.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { Side } from '../../domain/side.js';
import { householdShares } from '../../engine/routing/household-shares.js';
import type { RoutableAccount, RoutableLeg, RouteDecision } from '../../engine/routing/types.js';
import { routingKey, sellableShares } from './consolidate.js';

/** What the group knows of one account when it routes: its definition, state, broker and charges. */
export interface AccountForRouting {
  definition: AccountDefinition;
  snapshot: AccountSnapshot;
  capabilities: BrokerCapabilities;
  /** Orders the broker still takes today (its published daily limit less today's orders); Infinity when unlimited. */
  ordersLeftToday: number;
  estimateCharges(side: Side, instrument: Instrument, quantity: number, price: number): number;
}

/** Each account as the router sees it, healthy: an account whose broker did not open is not offered (see `unavailable`). */
export function routableAccounts(accounts: readonly AccountForRouting[]): RoutableAccount[] {
  return accounts.map((a) => ({
    definition: a.definition,
    currency: a.snapshot.funds.currency,
    cash: a.snapshot.funds.available,
    sellable: sellableShares(a.snapshot),
    capabilities: {
      orderTypes: a.capabilities.orderTypes,
      orderClasses: a.capabilities.orderClasses ?? [],
      nativeIceberg: a.capabilities.nativeIceberg ?? false,
      afterMarketOrders: a.capabilities.afterMarketOrders ?? false,
      exchanges: a.capabilities.exchanges,
    },
    charges: (t) => {
      const instrument = a.snapshot.instruments.get(instrumentKey(t.exchange, t.symbol));
      return instrument ? a.estimateCharges(t.side, instrument, t.quantity, t.price) : 0;
    },
    ordersLeftToday: a.ordersLeftToday,
    // The broker answered the snapshot a moment ago; its measured quality comes from the scorecard when there is one.
    health: { breaker: 'closed', sessionUsable: true, errorRate: 0 },
    holdings: ownedBySymbol(a.snapshot),
  }));
}

/** What the account owns per symbol, settled or not (its share of a household target is measured against it). */
function ownedBySymbol(snapshot: AccountSnapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of ownedInstruments(snapshot).values()) out.set(o.symbol.toUpperCase(), (out.get(o.symbol.toUpperCase()) ?? 0) + o.quantity);
  return out;
}

/**
 * The consolidated plan's legs as the router takes them: one venue each, the exchange the plan
 * chose, quoted from the group's snapshot (quotes carry no depth: 0 = not reported). With
 * `household`, the legs are the group's own plan and carry its target of each line, which the
 * accounts' shares divide (README "Rebalancing several accounts").
 */
export function routableLegs(legs: readonly Leg[], snapshot: AccountSnapshot, options: { household?: boolean } = {}): RoutableLeg[] {
  return legs.map((l) => {
    const quote = snapshot.quotes.get(instrumentKey(l.exchange, l.symbol));
    const instrument = snapshot.instruments.get(instrumentKey(l.exchange, l.symbol));
    return {
      key: routingKey(l.symbol, l.exchange),
      symbol: l.symbol,
      side: l.side,
      quantity: l.quantity,
      price: l.estimatedPrice,
      orderType: l.execution.orderType,
      ...(l.execution.orderClass ? { orderClass: l.execution.orderClass } : {}),
      ...(l.execution.afterMarket ? { afterMarket: true } : {}),
      venues: [{ exchange: l.exchange, bid: quote?.bid ?? l.estimatedPrice, ask: quote?.ask ?? l.estimatedPrice, bidDepth: 0, askDepth: 0 }],
      ...(instrument ? { lotSize: instrument.lotSize } : {}),
      ...(instrument?.adv ? { adv: instrument.adv } : {}),
      ...(instrument?.volatility ? { volatility: instrument.volatility } : {}),
      ...(options.household ? { householdTarget: l.target } : {}),
    };
  });
}

/** What one account trades of one consolidated leg, and why. */
export interface Allocation {
  alias: string;
  symbol: string;
  exchange: Leg['exchange'];
  side: Side;
  quantity: number;
  why: string;
}

/** Quantity of a consolidated leg no account could take, and why. */
export interface Unrouted {
  symbol: string;
  exchange: string;
  side: Side;
  quantity: number;
  why: string;
}

/** The router's decisions as what each account trades; a leg's quantity no part took is unrouted, with the exclusions as its reason. */
export function allocate(legs: readonly Leg[], decisions: readonly RouteDecision[]): { allocations: Allocation[]; unrouted: Unrouted[] } {
  const allocations: Allocation[] = [];
  const unrouted: Unrouted[] = [];
  legs.forEach((leg, i) => {
    const decision = decisions[i];
    const parts = decision?.parts ?? [];
    for (const part of parts) {
      if (part.quantity <= 0) continue;
      const same = allocations.find((a) => a.alias === part.account && a.symbol === leg.symbol && a.exchange === part.exchange && a.side === leg.side);
      if (same) same.quantity += part.quantity;
      else allocations.push({ alias: part.account, symbol: leg.symbol, exchange: part.exchange as Leg['exchange'], side: leg.side, quantity: part.quantity, why: decision!.why });
    }
    const left = leg.quantity - parts.reduce((s, p) => s + Math.max(0, p.quantity), 0);
    if (left > 0) {
      const excluded = decision?.excluded.map((e) => `${e.account}: ${e.reason}`).join('; ');
      unrouted.push({ symbol: leg.symbol, exchange: leg.exchange, side: leg.side, quantity: left, why: excluded ? `no account could take it (${excluded})` : (decision?.why ?? 'not routed') });
    }
  });
  return { allocations, unrouted };
}

/** The shares the router applied, as the plan's note: `shares of each line: main 60%, spouse 40%`. */
export function sharesNote(accounts: readonly RoutableAccount[]): string | undefined {
  const shares = householdShares(accounts);
  if (shares === undefined) return undefined;
  const rescaled = [...shares.share].some(([alias, share]) => Math.abs(share - (accounts.find((a) => a.definition.alias === alias)!.definition.share ?? share)) > 1e-9);
  return `shares of each line (config.json accounts): ${shares.text}${rescaled ? ', in proportion over the accounts selected' : ''}; buys go to the accounts below their share, sells come from those above`;
}
