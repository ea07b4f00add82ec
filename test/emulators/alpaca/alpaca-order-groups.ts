import { WireError } from '../exchange/emulator-server.js';
import type { SimExchange, SimInstrument, SimOrder } from '../exchange/sim-exchange.js';

/**
 * Alpaca's bracket and OCO orders in the emulator (`order_class`). A bracket's entry is placed
 * with two legs on the other side, `held` until the entry has filled in full: a take-profit limit
 * and a stop-loss stop (or stop-limit). An OCO is its take-profit limit (the order placed, with the
 * caller's `client_order_id`) and a stop-loss leg, both working at once; Alpaca takes it only to
 * exit a position. The legs get their own ids and `client_order_id`s. A leg's fill shrinks its
 * sibling to what is left and a complete fill cancels it; a cancelled leg takes its sibling with
 * it, a cancelled (or rejected) entry its held legs. The rules and answers are Alpaca's
 * (wire-facts.ts in src/brokers/alpaca lists which wordings are confirmed).
 */
export interface LinkedSpec {
  orderClass: 'bracket' | 'oco';
  takeProfit: number;
  stopPrice: number;
  stopLimit: number;
}

interface Group {
  orderClass: 'bracket' | 'oco';
  parent: string;
  takeProfit: string;
  stopLoss: string;
  /** Shares the two exits close together. */
  quantity: number;
}

type Body = Record<string, unknown>;
type Cents = (body: Body, field: string) => number;

const problem = (status: number, code: number, message: string) => new WireError(status, { code, message });
const dollars = (cents: number) => (cents / 100).toFixed(2);
const LIVE = new Set(['received', 'open', 'trigger_pending']);

export class AlpacaOrderGroups {
  private readonly groups = new Map<string, Group>();
  private readonly groupOfLeg = new Map<string, Group>();
  private readonly held = new Set<string>();

  constructor(private readonly exchange: SimExchange) {}

  /**
   * The linked part of a placement, checked as Alpaca checks it, or undefined for a simple order.
   * `base` is Alpaca's base price: the entry's limit, else the last trade.
   */
  parse(body: Body, order: { type: string; side: string; tif: string; limit: number; inst: SimInstrument }, cents: Cents): LinkedSpec | undefined {
    const cls = body.order_class ?? 'simple';
    if (!['simple', '', 'bracket', 'oco', 'oto'].includes(cls as string)) throw problem(422, 40010001, 'invalid order_class');
    if (cls === 'oto') throw problem(422, 40010001, 'oto orders are not expected here');
    if (cls === 'simple' || cls === '') {
      if (body.take_profit !== undefined || body.stop_loss !== undefined) throw problem(422, 40010001, 'take_profit and stop_loss are only allowed for bracket, oco and oto orders');
      return undefined;
    }
    const orderClass = cls as 'bracket' | 'oco';
    if (!['day', 'gtc'].includes(order.tif)) throw problem(422, 40010001, `${orderClass} orders must be day or gtc orders`);
    if (body.extended_hours === true) throw problem(422, 40010001, `${orderClass} orders are not allowed in extended hours`);
    const tp = this.legObject(body, 'take_profit', ['limit_price']);
    const sl = this.legObject(body, 'stop_loss', ['stop_price', 'limit_price']);
    if (!tp || !sl || tp.limit_price === undefined || sl.stop_price === undefined) throw problem(422, 40010001, `${orderClass} orders require take_profit.limit_price and stop_loss.stop_price`);
    const spec: LinkedSpec = { orderClass, takeProfit: cents(tp, 'limit_price'), stopPrice: cents(sl, 'stop_price'), stopLimit: sl.limit_price === undefined ? 0 : cents(sl, 'limit_price') };
    if (orderClass === 'bracket' && order.type !== 'market' && order.type !== 'limit') throw problem(422, 40010001, 'bracket orders must be market or limit orders');
    if (orderClass === 'oco') {
      if (order.type !== 'limit') throw problem(422, 40010001, 'oco orders must be limit orders');
      if (order.side !== 'sell') throw problem(422, 42210000, 'oco orders must exit a position');
      if (body.limit_price !== undefined && body.limit_price !== null && cents(body, 'limit_price') !== spec.takeProfit) throw problem(422, 40010001, 'limit_price must equal take_profit.limit_price for oco orders');
    }
    const exitsSell = orderClass === 'bracket' ? order.side === 'buy' : order.side === 'sell';
    const base = orderClass === 'bracket' && order.limit ? order.limit : order.inst.last;
    this.checkPrices(spec, exitsSell, base);
    return spec;
  }

  /** Places the legs of a group whose parent (a bracket's entry, an OCO's take-profit) is `parent`. */
  place(parent: SimOrder, spec: LinkedSpec, clientRef: () => string): void {
    const exitSide = spec.orderClass === 'bracket' ? (parent.side === 'BUY' ? 'SELL' : 'BUY') : parent.side;
    const base = { symbol: parent.symbol, exchange: parent.exchange, side: exitSide, product: 'delivery' as const, validity: 'DAY' as const, quantity: parent.quantity };
    const stop = { ...base, type: spec.stopLimit ? ('SL' as const) : ('SL-M' as const), price: spec.stopLimit, trigger: spec.stopPrice };
    const group: Group = { orderClass: spec.orderClass, parent: parent.id, takeProfit: parent.id, stopLoss: '', quantity: parent.quantity };
    if (spec.orderClass === 'bracket') {
      group.takeProfit = this.placeLeg({ ...base, type: 'LIMIT', price: spec.takeProfit, trigger: 0, clientRef: clientRef() }, group, true);
    }
    this.groups.set(parent.id, group);
    group.stopLoss = this.placeLeg({ ...stop, clientRef: clientRef() }, group, spec.orderClass === 'bracket');
    this.groupOfLeg.set(group.takeProfit, group);
  }

  classOf(id: string): string {
    return (this.groups.get(id) ?? this.groupOfLeg.get(id))?.orderClass ?? '';
  }

  /** The legs nested under a parent (a bracket's two, an OCO's stop-loss). */
  legsOf(id: string): string[] {
    const g = this.groups.get(id);
    if (!g) return [];
    return g.orderClass === 'bracket' ? [g.takeProfit, g.stopLoss] : [g.stopLoss];
  }

  isLeg(id: string): boolean {
    const g = this.groupOfLeg.get(id);
    return g !== undefined && g.parent !== id;
  }

  isHeld(id: string): boolean {
    return this.held.has(id);
  }

  /** Orders whose shares another order of the group already reserves (held legs, a stop-loss beside its take-profit). */
  reservedElsewhere(id: string): boolean {
    return this.held.has(id) || this.groupOfLeg.get(id)?.stopLoss === id;
  }

  private placeLeg(spec: Parameters<SimExchange['place']>[0], group: Group, held: boolean): string {
    const id = this.exchange.place(spec);
    this.groupOfLeg.set(id, group);
    if (held) this.held.add(id);
    else this.exchange.accept(id);
    return id;
  }

  private legObject(body: Body, field: string, allowed: string[]): Body | undefined {
    const v = body[field];
    if (v === undefined) return undefined;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw problem(422, 40010001, `invalid ${field}`);
    for (const k of Object.keys(v)) if (!allowed.includes(k)) throw problem(422, 40010001, `unknown field ${field}.${k}`);
    return v as Body;
  }

  private checkPrices(spec: LinkedSpec, exitsSell: boolean, base: number): void {
    if (exitsSell) {
      if (spec.takeProfit < base + 1) throw problem(422, 42210000, `take_profit.limit_price must be >= base_price + 0.01 (base_price ${dollars(base)})`);
      if (spec.stopPrice > base - 1) throw problem(422, 42210000, `stop_loss.stop_price must be <= base_price - 0.01 (base_price ${dollars(base)})`);
      if (spec.stopLimit && spec.stopLimit > spec.stopPrice) throw problem(422, 42210000, 'stop_loss.limit_price must be <= stop_loss.stop_price');
    } else {
      if (spec.takeProfit > base - 1) throw problem(422, 42210000, `take_profit.limit_price must be <= base_price - 0.01 (base_price ${dollars(base)})`);
      if (spec.stopPrice < base + 1) throw problem(422, 42210000, `stop_loss.stop_price must be >= base_price + 0.01 (base_price ${dollars(base)})`);
      if (spec.stopLimit && spec.stopLimit < spec.stopPrice) throw problem(422, 42210000, 'stop_loss.limit_price must be >= stop_loss.stop_price');
    }
  }

  /** One-triggers-other and one-cancels-other, after every change of an order of a group (heard after the stream's own report of it). */
  react(o: SimOrder, change: 'status' | 'fill' | 'modify'): void {
    const entryOf = this.groups.get(o.id);
    if (entryOf?.orderClass === 'bracket') return this.afterEntry(entryOf, o);
    const group = this.groupOfLeg.get(o.id);
    if (!group) return;
    const sibling = this.exchange.order(o.id === group.takeProfit ? group.stopLoss : group.takeProfit);
    if (!sibling || !LIVE.has(sibling.phase)) return;
    if (o.phase === 'cancelled' || o.phase === 'rejected') return this.exchange.cancel(sibling.id);
    if (change !== 'fill' && o.phase !== 'complete') return;
    const remaining = group.quantity - o.filled - sibling.filled;
    if (remaining <= 0) this.exchange.cancel(sibling.id);
    else if (sibling.quantity - sibling.filled !== remaining) this.exchange.modify(sibling.id, { quantity: sibling.filled + remaining });
  }

  /** A bracket's entry: filled in full, its legs start working; ended otherwise, its held legs go with it. */
  private afterEntry(group: Group, entry: SimOrder): void {
    const legs = [group.takeProfit, group.stopLoss].filter((id) => this.held.has(id));
    if (entry.phase === 'complete') {
      for (const id of legs) {
        this.held.delete(id);
        this.exchange.accept(id);
      }
    } else if (entry.phase === 'cancelled' || entry.phase === 'rejected') {
      for (const id of legs) this.held.delete(id);
      for (const id of legs) if (LIVE.has(this.exchange.order(id)?.phase ?? '')) this.exchange.cancel(id);
    }
  }
}
