import type { BrokerCapabilities } from '../../brokers/broker.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { Currency } from '../../domain/money.js';
import type { OrderRequest } from '../../domain/order.js';
import type { RiskConfig } from './config.js';
import { checkLists, checkOrderSize, checkPriceBand, checkSession, checkTickAndLot, compileLists, type SymbolLists } from './rules.js';
import { orderRiskEvent } from './events.js';
import { TokenBucket } from '../../market/token-bucket.js';
import { verdictOf, type HaltReader, type OrderRiskResult, type RiskReason } from './types.js';

export interface RiskGateOptions {
  config: RiskConfig;
  broker: { id: string; account: string; capabilities: Pick<BrokerCapabilities, 'orderRate' | 'simulatedMarket'> };
  currency: Currency;
  /** The kill switch; without it only the in-process halt applies. */
  halt?: HaltReader;
}

/** What the runtime knows about an order at the moment it sends it. */
export interface OrderCheckContext {
  now: number;
  runId?: string;
  parentId?: string;
  /** The leg the order works (a `Leg` will do), for the audit event. */
  leg?: { index: number };
  instrument: Pick<Instrument, 'tickSize' | 'lotSize'>;
  /** The current quote; without it a market order cannot be priced and is blocked. */
  quote?: Pick<Quote, 'bid' | 'ask' | 'last'>;
}

/**
 * The send-time gate every order passes just before it leaves the process, whoever produced
 * it: kill switch, lists, lot and tick, per-child limits, price band against the current quote,
 * trading session, the run's child count and the broker's rate limit (token buckets on clock
 * time). It is on the hot path, so it does no I/O beyond one cheap kill-switch read. Duplicates
 * are a matter of intent, decided once per run on the plan (duplicates.ts): the slices of one
 * parent, or another run's order of the same size, are not duplicates of each other.
 *
 * A passing (or warning) check consumes a rate token: call it once per send.
 */
export class RiskGate {
  private readonly config: RiskConfig;
  private readonly lists: SymbolLists;
  private readonly perSecond: TokenBucket;
  private readonly perMinute: TokenBucket | undefined;
  private readonly childrenByRun = new Map<string, number>();

  constructor(private readonly options: RiskGateOptions) {
    this.config = options.config;
    this.lists = compileLists(options.config.lists);
    const share = options.config.rate.use_pct / 100;
    const rate = options.broker.capabilities.orderRate;
    const perSecond = Math.max(1, Math.floor(rate.perSecond * share));
    this.perSecond = new TokenBucket(perSecond, { tokens: perSecond, perMs: 1_000 });
    const perMinute = rate.perMinute ? Math.max(1, Math.floor(rate.perMinute * share)) : undefined;
    this.perMinute = perMinute ? new TokenBucket(perMinute, { tokens: perMinute, perMs: 60_000 }) : undefined;
  }

  checkOrder(request: OrderRequest, ctx: OrderCheckContext): OrderRiskResult {
    const { verdict, reasons, retryAt } = this.evaluate(request, ctx);
    const events = [orderRiskEvent(ctx.runId ?? null, request, { verdict, reasons }, ctx.now, { leg: ctx.leg?.index, parentId: ctx.parentId })];
    return retryAt === undefined ? { verdict, reasons, events } : { verdict, reasons, retryAt, events };
  }

  private evaluate(request: OrderRequest, ctx: OrderCheckContext): Omit<OrderRiskResult, 'events'> {
    const reasons: RiskReason[] = [];
    const config = this.config;

    const halt = this.options.halt?.isHalted();
    if (halt?.halted) {
      reasons.push({ rule: 'kill_switch', level: 'block', message: `trading is halted${halt.reason ? `: ${halt.reason}` : ''} (ptexec unhalt lifts it)` });
      return { verdict: 'block', reasons };
    }

    checkLists(reasons, this.lists, request.exchange, request.symbol);
    checkTickAndLot(reasons, request.quantity, ctx.instrument.lotSize, ctx.instrument.tickSize, request.limitPrice, request.triggerPrice);

    const expected = this.expectedPrice(request, ctx.quote);
    if (expected === undefined) {
      reasons.push({ rule: 'no_quote', level: 'block', message: `no quote for ${request.exchange}:${request.symbol} to price a ${request.type} order` });
    } else {
      checkOrderSize(reasons, 'child', config.child, request.quantity, request.quantity * expected, this.options.currency);
      const reference = ctx.quote && ctx.quote.last > 0 ? ctx.quote.last : ctx.quote ? (ctx.quote.bid + ctx.quote.ask) / 2 : 0;
      checkPriceBand(reasons, config.price_band, request.side, expected, reference, request.limitPrice !== undefined ? 'limit price' : 'expected fill', this.options.currency);
    }
    checkSession(reasons, config.session, this.options.broker.capabilities.simulatedMarket, request.exchange, ctx.now, 'block', request.afterMarket);

    const runKey = ctx.runId ?? '';
    const sent = this.childrenByRun.get(runKey) ?? 0;
    if (config.run.max_child_orders !== null && sent >= config.run.max_child_orders) {
      reasons.push({ rule: 'run_orders', level: 'block', message: `the run has sent ${sent} orders, its maximum: raise risk.run.max_child_orders (null: no limit) in the risk section of config.json or a --risk file` });
    }

    let verdict = verdictOf(reasons);
    if (verdict === 'block') return { verdict, reasons };

    const now = ctx.now;
    if (this.perSecond.waitMs(now) > 0 || (this.perMinute && this.perMinute.waitMs(now) > 0)) {
      const retryAt = this.nextSendAt(now);
      reasons.push({ rule: 'order_rate', level: 'block', message: `broker order-rate limit reached; next slot in ${retryAt - now} ms` });
      return { verdict: 'block', reasons, retryAt };
    }
    this.perSecond.take(now);
    this.perMinute?.take(now);
    this.childrenByRun.set(runKey, sent + 1);
    verdict = verdictOf(reasons);
    return { verdict, reasons };
  }

  /** Clock time at which the rate limit will next admit an order (now, if it would). */
  nextSendAt(now: number): number {
    return now + Math.max(this.perSecond.waitMs(now), this.perMinute?.waitMs(now) ?? 0);
  }

  /** The price the order would trade at: its limit, else the far touch, else the last price. */
  private expectedPrice(request: OrderRequest, quote: OrderCheckContext['quote']): number | undefined {
    if (request.limitPrice !== undefined) return request.limitPrice;
    if (!quote) return undefined;
    const touch = request.side === 'buy' ? quote.ask : quote.bid;
    if (touch > 0) return touch;
    return quote.last > 0 ? quote.last : undefined;
  }
}
