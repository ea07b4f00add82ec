import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import type { Exchange } from '../../domain/instrument.js';
import { formatMoney } from '../../domain/money.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { PaperMarket } from './market.js';
import { symbolKey, type OpenOrders } from './open-orders.js';
import type { OrderGroups } from './order-groups.js';
import type { PaperDb } from './paper-db.js';
import { paperError } from './paper-error.js';
import type { PaperAccountRow, PaperOrder, PaperTradeRow } from './paper-records.js';
import type { StorageGuard } from './storage-guard.js';
import { currencyOfExchange, type InstrumentIndex, type PaperInstrument } from './universe.js';

/** What the account reads and writes of the paper tables. */
export type AccountRecords = Pick<PaperDb, 'account' | 'holding' | 'holdings' | 'hasDueLots' | 'settleDue' | 'addCash' | 'addBought' | 'removeSold' | 'tradesOfDay'>;

export interface AccountParts {
  accountId: string;
  clock: Clock;
  records: AccountRecords;
  market: Pick<PaperMarket, 'book'>;
  index: InstrumentIndex;
  book: OpenOrders;
  groups: Pick<OrderGroups, 'isCoveredLeg' | 'siblingOf'>;
  guard: Pick<StorageGuard, 'sync' | 'write'>;
  /** Extra cash blocked for market buys above the ask, as a fraction. */
  marketBuyBuffer: number;
  /** Settlement date of a trade made on `tradeDate`. */
  settlementDate: (exchange: Exchange, tradeDate: string) => string;
}

/**
 * The paper account: cash, the cash its open buys block, holdings with their T+1 lots, and
 * whether it can take an order. Its fills move cash and shares; a buy's shares settle on the
 * settlement date (until then they are T+1 quantity, which may be sold).
 */
export class PaperAccount {
  /** Cash blocked by limit-priced buys, kept as a running total, and each one's part of it. */
  private fixedBlocked = 0;
  private fixedBlockOf = new Map<string, number>();
  /** Open market and stop buys: they block the cash of their quantity at the current ask. */
  private marketBuys = new Map<string, PaperOrder>();

  constructor(private readonly parts: AccountParts) {}

  /** Forgets every block (the open orders are being reloaded). */
  reset(): void {
    this.fixedBlocked = 0;
    this.fixedBlockOf = new Map();
    this.marketBuys = new Map();
  }

  row(): PaperAccountRow {
    const row = this.parts.records.account(this.parts.accountId);
    if (!row) throw paperError('unavailable', `paper account ${this.parts.accountId} is missing`);
    return row;
  }

  /** The account's trading date, at the exchanges of its currency. */
  today(): string {
    const exchange: Exchange = this.row().currency === 'INR' ? 'NSE' : 'NYSE';
    return tradingDate(exchange, this.parts.clock.now());
  }

  funds(): Funds {
    const account = this.row();
    const blocked = this.blockedCash(undefined);
    return { currency: account.currency, available: account.cash - blocked, used: blocked };
  }

  holdings(): Holding[] {
    this.settle();
    const { records, accountId, index, market } = this.parts;
    const now = this.parts.clock.now();
    return records.holdings(accountId).map((h) => {
      const owned = h.quantity + h.t1Quantity;
      const holding: Holding = { symbol: h.symbol, exchange: h.exchange, quantity: h.quantity, t1Quantity: h.t1Quantity, averagePrice: owned > 0 ? h.cost / owned : 0 };
      const instrument = index.find(h.symbol, h.exchange);
      if (instrument) holding.lastPrice = market.book(instrument, now).last;
      return holding;
    });
  }

  /** Today's net position per symbol, from today's trades. */
  positions(): Position[] {
    const net = new Map<string, { exchange: Exchange; symbol: string; bought: number; boughtValue: number; sold: number; soldValue: number }>();
    for (const t of this.parts.records.tradesOfDay(this.parts.accountId, this.today())) {
      const key = symbolKey(t);
      const p = net.get(key) ?? { exchange: t.exchange, symbol: t.symbol, bought: 0, boughtValue: 0, sold: 0, soldValue: 0 };
      if (t.side === 'buy') {
        p.bought += t.quantity;
        p.boughtValue += t.quantity * t.price;
      } else {
        p.sold += t.quantity;
        p.soldValue += t.quantity * t.price;
      }
      net.set(key, p);
    }
    const out: Position[] = [];
    for (const p of net.values()) {
      const quantity = p.bought - p.sold;
      if (quantity === 0) continue;
      const averagePrice = quantity > 0 ? p.boughtValue / p.bought : p.soldValue / p.sold;
      out.push({ symbol: p.symbol, exchange: p.exchange, quantity, averagePrice, product: 'delivery' });
    }
    return out;
  }

  /** Settles due T+1 lots (a write only when some are due). */
  settle(): void {
    this.parts.guard.sync();
    const today = this.today();
    if (!this.parts.records.hasDueLots(this.parts.accountId, today)) return;
    this.parts.guard.write(() => this.parts.records.settleDue(this.parts.accountId, today));
  }

  /** Why the account cannot take this order, or undefined when it can. */
  rejection(order: PaperOrder, instrument: PaperInstrument): string | undefined {
    const account = this.row();
    if (currencyOfExchange(instrument.exchange) !== account.currency) {
      return `the paper account holds ${account.currency}; ${instrument.exchange}:${instrument.symbol} trades in ${currencyOfExchange(instrument.exchange)}`;
    }
    return this.affordability(order, instrument, undefined);
  }

  /** Whether the cash (a buy) or the shares (a sell) are there, leaving out `excludeId`'s own block. */
  affordability(order: PaperOrder, instrument: PaperInstrument, excludeId: string | undefined): string | undefined {
    const account = this.row();
    const { groups, book, records, accountId } = this.parts;
    if (groups.isCoveredLeg(order)) return undefined;
    const sibling = groups.siblingOf(order.brokerOrderId);
    if (order.side === 'buy') {
      const required = this.blockFor(order, instrument);
      const available = account.cash - this.blockedCash(excludeId ?? order.brokerOrderId);
      if (required > available) {
        return `insufficient funds: the order needs ${formatMoney(required, account.currency)}, ${formatMoney(Math.max(0, available), account.currency)} available`;
      }
      return undefined;
    }
    this.settle();
    const holding = records.holding(accountId, order.exchange, order.symbol);
    const owned = holding ? holding.quantity + holding.t1Quantity : 0;
    let selling = 0;
    for (const other of book.ofSymbol(symbolKey(order))?.values() ?? []) {
      if (other.side !== 'sell' || other.brokerOrderId === (excludeId ?? order.brokerOrderId) || other.brokerOrderId === sibling) continue;
      if (groups.isCoveredLeg(other)) continue;
      selling += other.quantity - other.filledQuantity;
    }
    const remaining = order.quantity - order.filledQuantity;
    if (remaining > owned - selling) {
      return `insufficient holdings: selling ${remaining} ${order.symbol} but ${owned} owned and ${selling} already being sold`;
    }
    return undefined;
  }

  /** Re-books an open order's share of the blocked cash after it changed. */
  rebook(order: PaperOrder): void {
    const id = order.brokerOrderId;
    this.fixedBlocked -= this.fixedBlockOf.get(id) ?? 0;
    this.fixedBlockOf.delete(id);
    this.marketBuys.delete(id);
    if (order.side !== 'buy' || !this.parts.book.has(id)) return;
    if (this.parts.groups.isCoveredLeg(order)) return;
    if (order.limitPrice === undefined) {
      this.marketBuys.set(id, order);
      return;
    }
    const block = (order.quantity - order.filledQuantity) * order.limitPrice;
    this.fixedBlockOf.set(id, block);
    this.fixedBlocked += block;
  }

  /** A fill's cash and shares: a buy pays and holds the shares as T+1 until settlement; a sell delivers and is paid. */
  bookTrade(trade: PaperTradeRow): void {
    const { records, accountId } = this.parts;
    const value = trade.quantity * trade.price;
    if (trade.side === 'buy') {
      records.addCash(accountId, -value, trade.ts);
      records.addBought(accountId, trade.exchange, trade.symbol, trade.quantity, value, this.parts.settlementDate(trade.exchange, trade.tradingDate));
    } else {
      records.removeSold(accountId, trade.exchange, trade.symbol, trade.quantity);
      records.addCash(accountId, value, trade.ts);
    }
  }

  /** Cash an open buy blocks: remaining × its limit, or × the ask plus a buffer for market orders. */
  private blockFor(order: PaperOrder, instrument: PaperInstrument): number {
    if (order.side !== 'buy') return 0;
    const remaining = order.quantity - order.filledQuantity;
    if (order.limitPrice !== undefined) return remaining * order.limitPrice;
    const ask = this.parts.market.book(instrument, this.parts.clock.now()).ask;
    const reference = Math.max(ask, order.triggerPrice ?? 0);
    return Math.ceil(remaining * reference * (1 + this.parts.marketBuyBuffer));
  }

  /**
   * Cash blocked by open buys. Limit-priced buys block a fixed amount, kept as a running total
   * (so a placement does not walk thousands of open orders); market and stop buys are valued at
   * the current ask.
   */
  private blockedCash(excludeId: string | undefined): number {
    let blocked = this.fixedBlocked - (excludeId === undefined ? 0 : (this.fixedBlockOf.get(excludeId) ?? 0));
    for (const order of this.marketBuys.values()) {
      if (order.brokerOrderId === excludeId) continue;
      const instrument = this.parts.index.find(order.symbol, order.exchange);
      if (instrument) blocked += this.blockFor(order, instrument);
    }
    return blocked;
  }
}
