import type { Clock } from '../../domain/clock.js';
import type { OrderRequest, OrderStatus } from '../../domain/order.js';
import { exitLegClientIds } from '../../domain/order-class.js';
import type { UpdateDelivery } from './delivery.js';
import { SIMULATED_REJECTION } from './faults.js';
import type { OpenOrders } from './open-orders.js';
import { validateOrder, type OrderEntry } from './order-entry.js';
import type { OrderGroups } from './order-groups.js';
import type { PaperAccount } from './paper-account.js';
import type { PaperDb } from './paper-db.js';
import { paperError } from './paper-error.js';
import type { PaperOrder, PaperOrderLink } from './paper-records.js';
import type { StorageGuard } from './storage-guard.js';
import type { InstrumentIndex, PaperInstrument } from './universe.js';

/** A linked order's client id leaves room for the exit legs' two-character suffix within 40. */
const LINKED_CLIENT_ID_MAX = 38;

type LinkedRequest = OrderRequest & { orderClass: 'bracket' | 'oco' };

export interface LinkedOrderParts {
  accountId: string;
  clock: Clock;
  /** One-way latency: a bracket's exits follow its entry's fill after it. */
  latencyMs: number;
  records: Pick<PaperDb, 'order' | 'insertOrder' | 'updateOrder' | 'saveLink'>;
  index: InstrumentIndex;
  book: OpenOrders;
  groups: OrderGroups;
  orders: OrderEntry;
  account: Pick<PaperAccount, 'rejection' | 'rebook'>;
  delivery: Pick<UpdateDelivery, 'order'>;
  guard: Pick<StorageGuard, 'write'>;
  /** The matching engine's part: ending an order, and a matching pass over a symbol. */
  market: {
    finish(order: PaperOrder, status: OrderStatus, brokerStatus: string, message: string): void;
    matchSymbol(instrument: PaperInstrument, now: number, arrival: PaperOrder | undefined): void;
  };
}

/**
 * Bracket and OCO orders. A bracket's entry works first; once it fills, after the latency, a
 * take-profit limit and a stop-loss (stop or stop-limit) on the other side cover what it filled,
 * and grow as it fills more. An OCO places both exits at once. The two exits of a group never
 * fill more than the quantity they protect together: when one fills, the other shrinks to what
 * is left, and when nothing is left (or one ends) the other is cancelled — one-cancels-other.
 */
export class LinkedOrders {
  constructor(private readonly parts: LinkedOrderParts) {}

  /**
   * A bracket: the entry is placed now and its link stored; the exits follow its fills (see
   * `placeDueExits`). An OCO: both legs are placed now; the take-profit leg carries the
   * request's client order id and is what `placeOrder` returns, the stop-loss leg `<id>SL`.
   */
  accept(request: LinkedRequest, instrument: PaperInstrument, forceReject: boolean): PaperOrder {
    if (request.clientOrderId.length > LINKED_CLIENT_ID_MAX) {
      throw paperError('input', `client order id "${request.clientOrderId}" of a ${request.orderClass} order may have at most ${LINKED_CLIENT_ID_MAX} characters (its exit legs add "TP"/"SL")`);
    }
    const now = this.parts.clock.now();
    return this.parts.guard.write(() => {
      const link = this.linkFor(request);
      return request.orderClass === 'bracket' ? this.acceptBracket(request, instrument, link, forceReject, now) : this.acceptOco(request, instrument, link, forceReject, now);
    });
  }

  /**
   * After a fill of a grouped order. An entry's fill makes its exits due after the latency.
   * An exit's fill reduces its sibling, in this same matching step, to the quantity still
   * protected, so the two together never fill more than the protected quantity; when nothing
   * is left the sibling is cancelled (one-cancels-other) and the group ends.
   */
  afterFill(order: PaperOrder, now: number): void {
    const linked = this.parts.groups.groupOf(order.brokerOrderId);
    if (!linked) return;
    const { link, role } = linked;
    if (role === 'entry') {
      if (link.exitsDueAt === undefined) {
        link.exitsDueAt = now + this.parts.latencyMs;
        this.parts.records.saveLink(link);
      }
      return;
    }
    if (link.orderClass === 'bracket') {
      // The entry filled more since the exits were last sized: cover it now rather than let
      // this exit close the group with those shares unprotected.
      const entry = this.linkedOrder(link.parentId);
      if (entry && entry.filledQuantity > link.protectedQuantity) {
        link.protectedQuantity = entry.filledQuantity;
        delete link.exitsDueAt;
        this.parts.records.saveLink(link);
      }
    }
    const tp = role === 'tp' ? order : this.linkedOrder(link.takeProfitId);
    const sl = role === 'sl' ? order : this.linkedOrder(link.stopLossId);
    const remaining = link.protectedQuantity - (tp?.filledQuantity ?? 0) - (sl?.filledQuantity ?? 0);
    if (remaining > 0) {
      for (const leg of [tp, sl]) if (leg && this.parts.book.has(leg.brokerOrderId)) this.resizeLeg(leg, remaining, now);
      return;
    }
    const leg = role === 'tp' ? 'take-profit' : 'stop-loss';
    this.endGroup(link, 'cancelled', 'CANCELLED', `cancelled: the ${leg} leg filled (one-cancels-other)`);
  }

  /**
   * After a grouped order ended without filling. An entry that filled nothing ends its group
   * (what it did fill is still protected). An exit leg that was cancelled or expired takes its
   * sibling, and a bracket's still-working entry, with it.
   */
  afterFinish(order: PaperOrder, status: OrderStatus, brokerStatus: string): void {
    const linked = this.parts.groups.groupOf(order.brokerOrderId);
    if (!linked) return;
    const { link, role } = linked;
    if (role === 'entry') {
      if (order.filledQuantity === 0) this.parts.groups.deactivate(link);
      return;
    }
    const leg = role === 'tp' ? 'take-profit' : 'stop-loss';
    const word = status === 'expired' ? 'expired' : 'cancelled';
    this.endGroup(link, status === 'expired' ? 'expired' : 'cancelled', status === 'expired' ? brokerStatus : 'CANCELLED', `${word} with its ${leg} leg (one-cancels-other)`);
  }

  /**
   * Places (or grows) the exits of brackets whose entry filled at least the latency ago: both
   * legs cover what the entry filled and what the exits have not yet closed.
   */
  placeDueExits(now: number): void {
    const { groups, records, index } = this.parts;
    for (const link of groups.list()) {
      if (link.exitsDueAt === undefined || link.exitsDueAt > now || !link.active) continue;
      delete link.exitsDueAt;
      const entry = this.linkedOrder(link.parentId);
      const instrument = entry && index.find(entry.symbol, entry.exchange);
      if (!entry || !instrument || entry.clientOrderId === undefined) {
        groups.deactivate(link);
        continue;
      }
      const target = entry.filledQuantity;
      if (target <= link.protectedQuantity) {
        records.saveLink(link);
        continue;
      }
      const working = link.takeProfitId === undefined ? this.placeExits(link, entry, instrument, target, now) : this.growExits(link, target, now);
      if (working) this.parts.market.matchSymbol(instrument, now, undefined);
    }
  }

  private linkFor(request: LinkedRequest): PaperOrderLink {
    const link: PaperOrderLink = {
      parentId: '',
      accountId: this.parts.accountId,
      orderClass: request.orderClass,
      exitSide: request.orderClass === 'bracket' ? (request.side === 'buy' ? 'sell' : 'buy') : request.side,
      takeProfitPrice: request.takeProfit!.limitPrice,
      stopTriggerPrice: request.stopLoss!.triggerPrice,
      protectedQuantity: 0,
      active: true,
    };
    if (request.stopLoss!.limitPrice !== undefined) link.stopLimitPrice = request.stopLoss!.limitPrice;
    return link;
  }

  private acceptBracket(request: LinkedRequest, instrument: PaperInstrument, link: PaperOrderLink, forceReject: boolean, now: number): PaperOrder {
    const { orders, records } = this.parts;
    const legIds = exitLegClientIds(request.clientOrderId);
    orders.ensureUnusedClientIds([request.clientOrderId, legIds.takeProfit, legIds.stopLoss]);
    const entry = orders.build(instrument, now, request);
    validateOrder(entry, instrument);
    link.parentId = entry.brokerOrderId;
    const reason = forceReject ? SIMULATED_REJECTION : this.parts.account.rejection(entry, instrument);
    if (reason) {
      link.active = false;
      orders.insertRejected(entry, reason);
      records.saveLink(link);
      return entry;
    }
    records.insertOrder(entry);
    records.saveLink(link);
    this.parts.groups.add(link);
    this.parts.book.add(entry);
    this.parts.delivery.order(entry);
    this.parts.market.matchSymbol(instrument, now, entry);
    return entry;
  }

  private acceptOco(request: LinkedRequest, instrument: PaperInstrument, link: PaperOrderLink, forceReject: boolean, now: number): PaperOrder {
    const legIds = exitLegClientIds(request.clientOrderId);
    this.parts.orders.ensureUnusedClientIds([request.clientOrderId, legIds.stopLoss]);
    const { tp, sl } = this.buildExits(instrument, now, link, request.clientOrderId, request.product, request.quantity, request.clientOrderId);
    validateOrder(tp, instrument);
    validateOrder(sl, instrument);
    link.parentId = tp.brokerOrderId;
    link.takeProfitId = tp.brokerOrderId;
    link.stopLossId = sl.brokerOrderId;
    link.protectedQuantity = request.quantity;
    // One check for the pair: the legs never fill more than `quantity` together, so a sell
    // reserves the shares once and a buy blocks the cash of its stop-loss leg (the dearer one).
    const reason = forceReject ? SIMULATED_REJECTION : this.parts.account.rejection(sl, instrument);
    if (reason) {
      link.active = false;
      this.parts.orders.insertRejected(tp, reason);
      this.parts.orders.insertRejected(sl, reason);
      this.parts.records.saveLink(link);
      return tp;
    }
    this.openExitPair(tp, sl, link);
    this.parts.market.matchSymbol(instrument, now, undefined);
    return tp;
  }

  /** The first exits of a bracket whose entry filled `target`; false when the account cannot take them. */
  private placeExits(link: PaperOrderLink, entry: PaperOrder, instrument: PaperInstrument, target: number, now: number): boolean {
    const legIds = exitLegClientIds(entry.clientOrderId!);
    const { tp, sl } = this.buildExits(instrument, now, link, entry.clientOrderId!, entry.product, target, legIds.takeProfit);
    link.takeProfitId = tp.brokerOrderId;
    link.stopLossId = sl.brokerOrderId;
    link.protectedQuantity = target;
    const reason = this.parts.account.rejection(sl, instrument);
    if (reason) {
      this.parts.orders.insertRejected(tp, `exit not placed: ${reason}`);
      this.parts.orders.insertRejected(sl, `exit not placed: ${reason}`);
      this.parts.groups.deactivate(link);
      return false;
    }
    this.openExitPair(tp, sl, link);
    return true;
  }

  /** Grows a bracket's working exits to cover `target`; false when they no longer both work. */
  private growExits(link: PaperOrderLink, target: number, now: number): boolean {
    const { book, records } = this.parts;
    const tp = book.get(link.takeProfitId!);
    const sl = link.stopLossId === undefined ? undefined : book.get(link.stopLossId);
    if (!tp || !sl) {
      records.saveLink(link);
      return false;
    }
    link.protectedQuantity = target;
    const remaining = target - tp.filledQuantity - sl.filledQuantity;
    records.saveLink(link);
    this.resizeLeg(tp, remaining, now);
    this.resizeLeg(sl, remaining, now);
    return true;
  }

  /** The two exit legs of a group, on the link's side and prices, for `quantity`. */
  private buildExits(instrument: PaperInstrument, now: number, link: PaperOrderLink, parentClientId: string, product: PaperOrder['product'], quantity: number, takeProfitClientId: string): { tp: PaperOrder; sl: PaperOrder } {
    const base = { side: link.exitSide, quantity, timeInForce: 'day' as const, product };
    const tp = this.parts.orders.build(instrument, now, { ...base, clientOrderId: takeProfitClientId, type: 'limit', limitPrice: link.takeProfitPrice });
    const stopLimit = link.stopLimitPrice !== undefined;
    const sl = this.parts.orders.build(instrument, now, {
      ...base,
      clientOrderId: exitLegClientIds(parentClientId).stopLoss,
      type: stopLimit ? 'stop_limit' : 'stop',
      triggerPrice: link.stopTriggerPrice,
      ...(stopLimit ? { limitPrice: link.stopLimitPrice } : {}),
    });
    return { tp, sl };
  }

  /** Stores, links, opens and announces the two exit legs of a bracket or OCO together. */
  private openExitPair(tp: PaperOrder, sl: PaperOrder, link: PaperOrderLink): void {
    const { records, groups, book, delivery } = this.parts;
    records.insertOrder(tp);
    records.insertOrder(sl);
    records.saveLink(link);
    groups.add(link);
    book.add(tp);
    book.add(sl);
    delivery.order(tp);
    delivery.order(sl);
  }

  /** Deactivates a group and ends whatever of it still works. */
  private endGroup(link: PaperOrderLink, status: OrderStatus, brokerStatus: string, message: string): void {
    this.parts.groups.deactivate(link);
    for (const id of [link.takeProfitId, link.stopLossId]) {
      const leg = id === undefined ? undefined : this.parts.book.get(id);
      if (leg) this.parts.market.finish(leg, status, brokerStatus, message);
    }
    if (link.orderClass === 'bracket') {
      const entry = this.parts.book.get(link.parentId);
      if (entry) this.parts.market.finish(entry, 'cancelled', 'CANCELLED', 'cancelled: the bracket ended with its exits');
    }
  }

  private resizeLeg(leg: PaperOrder, remaining: number, now: number): void {
    if (leg.quantity - leg.filledQuantity === remaining) return;
    leg.quantity = leg.filledQuantity + remaining;
    leg.updatedAt = now;
    this.parts.records.updateOrder(leg);
    this.parts.account.rebook(leg);
    this.parts.delivery.order(leg);
  }

  private linkedOrder(brokerOrderId: string | undefined): PaperOrder | undefined {
    if (brokerOrderId === undefined) return undefined;
    return this.parts.book.get(brokerOrderId) ?? this.parts.records.order(this.parts.accountId, brokerOrderId);
  }
}
