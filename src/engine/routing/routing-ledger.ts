import type { Exchange } from '../../domain/instrument.js';
import { sellableKey } from './sellable.js';
import type { RoutableAccount } from './types.js';

/**
 * What each account has left while a plan is routed: cash (grown by the proceeds of its own
 * sells, which are routed first), shares it may still sell, orders its broker still allows today.
 * The router's only mutable state, private to one `routeLegs` call.
 */
export class RoutingLedger {
  private readonly cashLeft = new Map<string, number>();
  private readonly sharesLeft = new Map<string, Map<string, number>>();
  private readonly ordersLeft = new Map<string, number>();
  /** Shares owned per account and symbol, settled or not, as the plan's parts change them (only accounts that report holdings). */
  private readonly owned = new Map<string, Map<string, number>>();

  constructor(accounts: readonly RoutableAccount[]) {
    for (const a of accounts) {
      const alias = a.definition.alias;
      this.cashLeft.set(alias, Math.max(0, a.cash));
      this.sharesLeft.set(alias, new Map([...a.sellable].map(([k, q]) => [k, Math.max(0, Math.floor(q))])));
      this.ordersLeft.set(alias, a.ordersLeftToday);
      if (a.holdings) this.owned.set(alias, new Map(a.holdings));
    }
  }

  cash(alias: string): number {
    return this.cashLeft.get(alias) ?? 0;
  }

  /** Shares of `symbol` the account may still sell on any of `exchanges`. */
  shares(alias: string, symbol: string, exchanges: readonly Exchange[]): number {
    const held = this.sharesLeft.get(alias);
    if (!held) return 0;
    return exchanges.reduce((s, e) => s + (held.get(sellableKey(symbol, e)) ?? 0), 0);
  }

  /** Shares of `symbol` the account owns, settled or not, after the parts routed so far. */
  held(alias: string, symbol: string): number {
    return this.owned.get(alias)?.get(symbol) ?? 0;
  }

  private own(alias: string, symbol: string, change: number): void {
    const owned = this.owned.get(alias);
    if (owned) owned.set(symbol, (owned.get(symbol) ?? 0) + change);
  }

  orders(alias: string): number {
    return this.ordersLeft.get(alias) ?? 0;
  }

  /** A buy part: its cost leaves the account's cash, its shares join what it owns; it uses one order. */
  bookBuy(alias: string, symbol: string, quantity: number, cost: number): void {
    this.cashLeft.set(alias, this.cash(alias) - cost);
    this.own(alias, symbol, quantity);
    this.ordersLeft.set(alias, this.orders(alias) - 1);
  }

  /**
   * A sell part: its shares come off the part's exchange first, then the leg's other exchanges;
   * its proceeds join the cash; it uses one order.
   */
  bookSell(alias: string, symbol: string, exchange: Exchange, exchanges: readonly Exchange[], quantity: number, proceeds: number): void {
    const held = this.sharesLeft.get(alias);
    let left = quantity;
    for (const e of [exchange, ...exchanges.filter((x) => x !== exchange)]) {
      if (!held || left <= 0) break;
      const key = sellableKey(symbol, e);
      const take = Math.min(left, held.get(key) ?? 0);
      if (take > 0) held.set(key, (held.get(key) ?? 0) - take);
      left -= take;
    }
    this.own(alias, symbol, -quantity);
    this.cashLeft.set(alias, this.cash(alias) + proceeds);
    this.ordersLeft.set(alias, this.orders(alias) - 1);
  }
}
