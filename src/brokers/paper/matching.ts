import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { Clock, TimerHandle } from '../../domain/clock.js';
import type { Exchange, Quote } from '../../domain/instrument.js';
import type { OrderStatus } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { UpdateDelivery } from './delivery.js';
import { restingFill, type QueuePlace } from './queue.js';
import type { PaperMarket } from './market.js';
import { symbolKey, type OpenOrders } from './open-orders.js';
import type { PaperAccount } from './paper-account.js';
import type { PaperDb } from './paper-db.js';
import type { PaperOrder, PaperTradeRow } from './paper-records.js';
import type { StorageGuard } from './storage-guard.js';
import type { InstrumentIndex, PaperInstrument } from './universe.js';

/** While every exchange with open orders is closed, the book is looked at once a minute, not every step. */
const CLOSED_POLL_MS = 60_000;
/**
 * A symbol whose open orders all rest (limits behind or at the touch) is looked at every ten
 * seconds of market time: the flow that reaches them is the market's volume over the whole
 * interval, so only the moments prices cross them are sampled coarser than a step.
 */
const RESTING_PASS_MS = 10_000;

type Touch = Pick<Quote, 'bid' | 'ask' | 'last'>;

/** What bracket and OCO groups do when one of their orders fills or ends (see linked-orders.ts). */
export interface GroupReactions {
  afterFill(order: PaperOrder, now: number): void;
  afterFinish(order: PaperOrder, status: OrderStatus, brokerStatus: string): void;
  /** Places or grows the exits of brackets whose entry filled at least the latency ago. */
  placeDueExits(now: number): void;
  nextExitsDue(): number | undefined;
}

export interface MatchingParts {
  accountId: string;
  clock: Clock;
  records: Pick<PaperDb, 'updateOrder' | 'insertTrade'>;
  market: Pick<PaperMarket, 'book' | 'backgroundVolume' | 'impactedPrice' | 'recordFill' | 'stepStart' | 'stepMs' | 'parameters' | 'sweptDepth' | 'sweepable'>;
  index: InstrumentIndex;
  isOpen: (exchange: Exchange, ts: number) => boolean;
  /** Most of the market's volume over a matching pass that resting paper orders may take (per side). */
  participationCap: number;
  book: OpenOrders;
  account: Pick<PaperAccount, 'row' | 'bookTrade' | 'rebook'>;
  delivery: Pick<UpdateDelivery, 'order' | 'trade'>;
  guard: Pick<StorageGuard, 'write'>;
  groups: GroupReactions;
  /** False once the broker closed or its market stopped: nothing more is matched. */
  live: () => boolean;
}

/**
 * The exchange side of the paper market: an account's open orders matched against the simulated
 * book, pass by pass on the clock. Stops trigger on the last price. An order that can take
 * liquidity (market, or a limit through the far touch) sweeps the book: at most what the book
 * holds and has not yet got back from earlier sweeps, paying the touch plus temporary impact. A
 * resting limit waits in the queue at its price (queue.ts): the market's flow at that price first
 * trades the shares ahead of it, then fills it, at its limit. A timer runs only while orders are
 * open or exits due.
 */
export class Matching {
  /** Each symbol's last matching pass: the market flow since then is what resting orders meet. */
  private readonly lastPass = new Map<string, number>();
  private readonly queues = new Map<string, QueuePlace>();
  /** When each symbol with open orders next needs a pass (see `dueAfterPass`). */
  private readonly due = new Map<string, number>();
  private timerAt = Number.POSITIVE_INFINITY;
  private timer: TimerHandle | undefined;
  /** Per symbol: fills matched by this instance, and how many were within the bid/offer prevailing as they matched. */
  private readonly touchTally = new Map<string, { fills: number; withinTouch: number }>();

  constructor(private readonly parts: MatchingParts) {}

  /** Sets the timer of the next matching pass: the next market step, or when exits are due. */
  schedule(): void {
    const { book, clock, market, isOpen, groups } = this.parts;
    if (!this.parts.live()) return;
    const due = groups.nextExitsDue();
    if (book.size === 0 && due === undefined) return;
    const now = clock.now();
    let anyOpen = false;
    let symbolsDue = Number.POSITIVE_INFINITY;
    for (const orders of book.symbols()) {
      const first = orders.values().next().value;
      if (first && isOpen(first.exchange, now)) {
        anyOpen = true;
        symbolsDue = Math.min(symbolsDue, this.due.get(symbolKey(first)) ?? now);
      }
    }
    const nextStep = (at: number) => market.stepStart(at) + market.stepMs;
    let next = anyOpen ? nextStep(Math.max(now, symbolsDue - market.stepMs)) : nextStep(now + CLOSED_POLL_MS - market.stepMs);
    if (due !== undefined) next = Math.min(next, due);
    if (this.timer && this.timerAt <= next) return;
    if (this.timer) clock.clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = clock.setTimeout(() => this.onTick(), Math.max(1, next - now));
  }

  /**
   * When a symbol's book next needs a pass: at the next step while a stop waits for its trigger
   * or a taker can sweep; when enough of the book has come back for a waiting taker; else (only
   * resting limits) after RESTING_PASS_MS.
   */
  private dueAfterPass(instrument: PaperInstrument, orders: Iterable<PaperOrder>, now: number): number {
    const { market } = this.parts;
    const quote = market.book(instrument, now);
    const params = market.parameters(instrument);
    let due = now + RESTING_PASS_MS;
    for (const order of orders) {
      if (!order.triggered) return now;
      const taking = order.limitPrice === undefined || (this.crosses(order, quote) && !this.rested(order));
      if (!taking) continue;
      const need = Math.min(order.quantity - order.filledQuantity, params.touchDepth);
      const swept = market.sweptDepth(instrument, order.side, now);
      const room = params.bookDepth - need;
      // The book comes back as swept·e^(−t/τ): it has room for `need` once that falls to bookDepth − need.
      if (room <= 0 || swept <= room) return now;
      due = Math.min(due, now + Math.ceil(params.resilienceMs * Math.log(swept / room)));
    }
    return due;
  }

  /** A limit at or through the far touch. */
  private crosses(order: PaperOrder, quote: Touch): boolean {
    const limit = order.limitPrice;
    return limit !== undefined && (order.side === 'buy' ? limit >= quote.ask : limit <= quote.bid);
  }

  /**
   * Whether a limit has rested in the queue at its present price. One the market has since moved
   * through traded whole as the market reached it, at its limit: it does not sweep the far side.
   */
  private rested(order: PaperOrder): boolean {
    return order.limitPrice !== undefined && this.queues.get(order.brokerOrderId)?.price === order.limitPrice;
  }

  /** Ends the timer (the broker closed, or its market stopped). */
  stop(): void {
    if (this.timer) this.parts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  /** The last open order went: with no exits due, no timer may keep a virtual clock (or the process) busy. */
  bookEmptied(): void {
    if (this.timer && this.parts.groups.nextExitsDue() === undefined) this.stop();
    this.due.clear();
  }

  private onTick(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (!this.parts.live()) return;
    try {
      this.matchAll(this.parts.clock.now());
    } catch (err) {
      // The book could not be written: another process holds the database (the orders are all
      // still open in it, and the next tick matches them), or the market stopped (see
      // storage-guard.ts). Nothing may escape a timer.
      if (!isBrokerError(err, 'unavailable')) throw err;
    }
    this.schedule();
  }

  /** One pass over the whole book: DAY orders past their day expire, due exits go out, every symbol matches. */
  private matchAll(now: number): void {
    const { book, guard, index, groups } = this.parts;
    guard.write(() => {
      for (const order of [...book.all()]) {
        if (order.timeInForce === 'day' && now >= order.expiresAt && book.has(order.brokerOrderId)) {
          this.finish(order, 'expired', 'EXPIRED', 'DAY order expired at the end of the trading day');
        }
      }
      groups.placeDueExits(now);
      for (const orders of [...book.symbols()]) {
        const first = orders.values().next().value;
        if (!first) continue;
        const instrument = index.find(first.symbol, first.exchange);
        if (instrument) this.matchSymbol(instrument, now, undefined);
      }
    });
  }

  /**
   * One matching pass over a symbol's open orders at `now`, within its liquidity window (see
   * liquidity.ts). `arrival` is an order reaching the market now: an IOC order gets this one
   * pass and its remainder is cancelled.
   */
  matchSymbol(instrument: PaperInstrument, now: number, arrival: PaperOrder | undefined): void {
    const { book, market } = this.parts;
    const key = symbolKey(instrument);
    const orders = book.ofSymbol(key);
    const since = Math.max(this.lastPass.get(key) ?? now - market.stepMs, now - 60 * market.stepMs);
    if (now > since) this.lastPass.set(key, now);
    if (!orders || orders.size === 0) return;
    const open = this.parts.isOpen(instrument.exchange, now);
    if (open) {
      const flow = now > since ? market.backgroundVolume(instrument, since, now) : 0;
      // Half the flow is sellers hitting the bids, half buyers lifting the offers; paper orders resting on a side take at most the cap of it.
      const passive: Record<Side, number> = { buy: Math.min(flow / 2, this.parts.participationCap * flow), sell: Math.min(flow / 2, this.parts.participationCap * flow) };
      const params = market.parameters(instrument);
      let quote = market.book(instrument, now);
      this.fireTriggers(orders.values(), quote, now);
      for (const order of [...orders.values()].filter((o) => o.triggered).sort(priority)) {
        if (!book.has(order.brokerOrderId)) continue;
        const side = order.side;
        const remaining = order.quantity - order.filledQuantity;
        const limit = order.limitPrice;
        const taking = limit === undefined || (this.crosses(order, quote) && !this.rested(order));
        let wanted: number;
        if (limit === undefined || taking) {
          // A sweep waits until at least a touch's worth of the book is there (or all it needs): fewer, fuller fills.
          const sweepable = Math.floor(market.sweepable(instrument, side, now) + 1e-9);
          wanted = sweepable >= Math.min(remaining, params.touchDepth) ? Math.min(remaining, sweepable) : 0;
        } else if (this.crosses(order, quote)) {
          // It rested at its price and the market has since moved through it: what traded on the way met it first.
          wanted = remaining;
        } else {
          const place = this.queues.get(order.brokerOrderId) ?? { price: limit, ahead: params.touchDepth };
          const got = restingFill(place, side, limit, quote, passive[side], params.touchDepth);
          this.queues.set(order.brokerOrderId, got.place);
          wanted = Math.min(remaining, Math.floor(got.reaching + 1e-9));
          passive[side] = got.reaching - wanted;
        }
        if (wanted <= 0) continue;
        const fill = this.affordableFill(order, instrument, quote, wanted, taking, now);
        if (!fill) {
          this.finish(order, 'cancelled', 'CANCELLED', 'insufficient funds for the remaining quantity at the market price');
          continue;
        }
        this.tallyAgainstTouch(key, !taking || (fill.price >= quote.bid && fill.price <= quote.ask));
        this.fill(order, instrument, fill.quantity, fill.price, now, taking);
        quote = market.book(instrument, now);
      }
    }
    if (arrival && arrival.timeInForce === 'ioc' && book.has(arrival.brokerOrderId)) {
      this.finish(arrival, 'cancelled', 'CANCELLED', 'IOC remainder cancelled');
    }
    const left = book.ofSymbol(key);
    if (left && left.size > 0) this.due.set(key, open ? this.dueAfterPass(instrument, left.values(), now) : now);
    else this.due.delete(key);
  }

  /**
   * Fills this instance matched in a symbol, and how many were at a price within the bid/offer
   * as it stood when each traded (a fill's own impact moves the quote after it): a resting limit
   * trades at the touch or inside it, a sweep is within only at the far touch.
   */
  fillsAgainstTouch(instrument: PaperInstrument): { fills: number; withinTouch: number } {
    return { ...(this.touchTally.get(symbolKey(instrument)) ?? { fills: 0, withinTouch: 0 }) };
  }

  private tallyAgainstTouch(key: string, within: boolean): void {
    const tally = this.touchTally.get(key) ?? { fills: 0, withinTouch: 0 };
    tally.fills++;
    if (within) tally.withinTouch++;
    this.touchTally.set(key, tally);
  }

  /** Moves an open order to a final status (the filled part stays filled). */
  finish(order: PaperOrder, status: OrderStatus, brokerStatus: string, message: string): void {
    this.queues.delete(order.brokerOrderId);
    order.status = status;
    order.brokerStatus = brokerStatus;
    order.statusMessage = message;
    order.updatedAt = this.parts.clock.now();
    this.parts.records.updateOrder(order);
    this.parts.book.remove(order);
    this.parts.delivery.order(order);
    this.parts.groups.afterFinish(order, status, brokerStatus);
  }

  /** Stop orders whose trigger the last price reached start working. */
  private fireTriggers(orders: Iterable<PaperOrder>, quote: Touch, now: number): void {
    for (const order of orders) {
      if (order.triggered || order.triggerPrice === undefined) continue;
      const hit = order.side === 'buy' ? quote.last >= order.triggerPrice : quote.last <= order.triggerPrice;
      if (!hit) continue;
      order.triggered = true;
      order.brokerStatus = 'OPEN';
      order.updatedAt = now;
      this.parts.records.updateOrder(order);
      this.parts.delivery.order(order);
    }
  }

  /**
   * The fill of up to `wanted` shares the order can take at its price: a buy takes no more than
   * the account's cash pays for. Undefined when the cash pays for none.
   */
  private affordableFill(order: PaperOrder, instrument: PaperInstrument, quote: Touch, wanted: number, taking: boolean, now: number): { quantity: number; price: number } | undefined {
    const priceOf = (q: number) => (taking ? this.fillPrice(instrument, quote, order, q, now) : order.limitPrice!);
    let quantity = wanted;
    let price = priceOf(quantity);
    if (order.side !== 'buy') return { quantity, price };
    const cash = this.parts.account.row().cash;
    if (quantity * price <= cash) return { quantity, price };
    quantity = Math.floor(cash / price);
    if (quantity > 0) price = priceOf(quantity);
    while (quantity > 0 && quantity * price > cash) quantity--;
    return quantity > 0 ? { quantity, price } : undefined;
  }

  private fillPrice(instrument: PaperInstrument, quote: Touch, order: PaperOrder, quantity: number, now: number): number {
    const price = this.parts.market.impactedPrice(instrument, quote, order.side, this.parts.market.sweptDepth(instrument, order.side, now) + quantity);
    if (order.limitPrice === undefined) return price;
    return order.side === 'buy' ? Math.min(price, order.limitPrice) : Math.max(price, order.limitPrice);
  }

  private fill(order: PaperOrder, instrument: PaperInstrument, quantity: number, price: number, now: number, taking: boolean): void {
    if (quantity > order.quantity - order.filledQuantity) throw new Error(`paper: refusing to overfill ${order.brokerOrderId}`);
    order.filledQuantity += quantity;
    order.filledValue += quantity * price;
    order.updatedAt = now;
    const done = order.filledQuantity === order.quantity;
    order.status = done ? 'filled' : 'partially_filled';
    order.brokerStatus = done ? 'COMPLETE' : 'OPEN';
    const trade: PaperTradeRow = {
      tradeId: `${order.brokerOrderId}-${order.filledQuantity}`,
      brokerOrderId: order.brokerOrderId,
      accountId: this.parts.accountId,
      clientOrderId: order.clientOrderId,
      exchange: order.exchange,
      symbol: order.symbol,
      side: order.side,
      quantity,
      price,
      ts: now,
      tradingDate: tradingDate(order.exchange, now),
    };
    this.parts.account.bookTrade(trade);
    this.parts.records.insertTrade(trade);
    this.parts.records.updateOrder(order);
    this.parts.market.recordFill(instrument, now, order.side, quantity, taking);
    if (done) {
      this.queues.delete(order.brokerOrderId);
      this.parts.book.remove(order);
    }
    else this.parts.account.rebook(order);
    this.parts.delivery.trade(trade);
    this.parts.delivery.order(order);
    this.parts.groups.afterFill(order, now);
  }
}

/** Market orders (and triggered stops) first, then limits by price (best first), then time. */
export function priority(a: PaperOrder, b: PaperOrder): number {
  const la = a.limitPrice;
  const lb = b.limitPrice;
  if (la === undefined || lb === undefined) {
    if (la !== lb) return la === undefined ? -1 : 1;
    return a.seq - b.seq;
  }
  if (la !== lb) return a.side === 'buy' ? lb - la : la - lb;
  return a.seq - b.seq;
}
