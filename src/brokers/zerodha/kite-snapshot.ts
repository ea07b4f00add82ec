import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey, type Quote } from '../../domain/instrument.js';
import type { ZerodhaSettings } from './config.js';
import type { KiteClient } from './kite-client.js';
import { rupeesToMinor, toExchange } from './kite-mapping.js';

interface KiteQuote {
  instrument_token?: number;
  timestamp?: string;
  last_price?: number;
  volume?: number;
  ohlc?: { close?: number };
  depth?: { buy?: { price: number; quantity: number }[]; sell?: { price: number; quantity: number }[] };
}

interface KiteHolding {
  tradingsymbol: string;
  exchange: string;
  quantity: number;
  t1_quantity?: number;
  average_price?: number;
  last_price?: number;
}

interface KitePosition {
  tradingsymbol: string;
  exchange: string;
  product: string;
  quantity: number;
  average_price?: number;
}

interface KiteMargins {
  equity?: { net?: number; available?: { live_balance?: number; cash?: number }; utilised?: { debits?: number } };
}

/**
 * The account and market as Kite reports them (quotes, holdings, positions, funds), read through
 * the client (retried, rate-limited) and translated into ptexec's types, rupees into paise.
 */
export class KiteSnapshotReader {
  constructor(
    private readonly client: KiteClient,
    private readonly settings: ZerodhaSettings,
    private readonly clock: Clock,
  ) {}

  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const keys = [...new Set(instruments.map((i) => instrumentKey(i.exchange, i.symbol)))];
    const out: Quote[] = [];
    const batch = this.settings.quote_batch;
    for (let i = 0; i < keys.length; i += batch) {
      const chunk = keys.slice(i, i + batch);
      const data = await this.client.data<Record<string, KiteQuote>>({ method: 'GET', path: '/quote', cls: 'quote', query: chunk.map((k) => ['i', k] as const) });
      for (const key of chunk) {
        const q = data?.[key];
        const quote = q ? this.quote(key, q) : undefined;
        if (quote) out.push(quote);
      }
    }
    return out;
  }

  /** A quote keyed `EXCHANGE:SYMBOL`; an empty side of the book reads as the last price. */
  private quote(key: string, q: KiteQuote): Quote | undefined {
    const [exchange, symbol] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const ex = toExchange(exchange);
    if (!ex) return undefined;
    const last = Math.round(rupeesToMinor(q.last_price));
    const bid = Math.round(rupeesToMinor(q.depth?.buy?.[0]?.price)) || last;
    const ask = Math.round(rupeesToMinor(q.depth?.sell?.[0]?.price)) || last;
    const quote: Quote = { symbol, exchange: ex, bid, ask, last, volume: q.volume ?? 0, ts: this.clock.now() };
    if (q.ohlc?.close) quote.close = Math.round(rupeesToMinor(q.ohlc.close));
    return quote;
  }

  /**
   * Kite's holdings and positions on the day of a delivery (CNC) trade and after. Confirmed from
   * Kite Connect's portfolio documentation, Zerodha's support articles ("What is the difference
   * between holdings and positions?", "Why do stocks sold from the holdings show up as a negative
   * position?", "Difference between net and day positions API") and the official clients' types:
   * - shares bought today appear in holdings only from the next trading day, as `t1_quantity`
   *   (T1 until delivered), then in `quantity`; on the trade day they are a CNC position;
   * - shares sold from holdings today are a negative CNC position; the demat is debited at the
   *   end of the day, and the holding reports them as `used_quantity` ("quantity sold from the net
   *   holding quantity");
   * - `day` holds only today's trades; `net` adds positions carried from earlier days;
   * - `quantity` does not include `t1_quantity`: the documented examples show `quantity` 0 with
   *   `t1_quantity` 2 and `opening_quantity` 2 (some clients' comments say "T+1 + realised").
   * Not stated anywhere:
   * - whether a holding's `quantity` stays unchanged through the day of a sale. Assumed, from
   *   `used_quantity` and the end-of-day debit; were it reduced at once, owned would be
   *   under-counted by the sale (plans would buy back what was sold; the short-sell check would
   *   err on the safe side);
   * - whether `net` ever carries a CNC row into the next day. Not relied on: reading `day`
   *   counts today's trades once either way.
   * So: owned = `quantity` + `t1_quantity` + today's CNC `day` quantity (`ownedInstruments`);
   * `used_quantity` is not subtracted, the negative position already says it.
   */
  async holdings(): Promise<Holding[]> {
    const rows = await this.client.data<KiteHolding[]>({ method: 'GET', path: '/portfolio/holdings', cls: 'other' });
    const out: Holding[] = [];
    for (const h of rows ?? []) {
      const exchange = toExchange(h.exchange);
      if (!exchange) continue;
      const holding: Holding = { symbol: h.tradingsymbol, exchange, quantity: h.quantity, t1Quantity: h.t1_quantity ?? 0, averagePrice: rupeesToMinor(h.average_price) };
      if (h.last_price) holding.lastPrice = Math.round(rupeesToMinor(h.last_price));
      out.push(holding);
    }
    return out;
  }

  /** Today's positions: Kite's `day` rows (see `holdings()` for why not `net`). */
  async positions(): Promise<Position[]> {
    const data = await this.client.data<{ net?: KitePosition[]; day?: KitePosition[] }>({ method: 'GET', path: '/portfolio/positions', cls: 'other' });
    const out: Position[] = [];
    for (const p of data?.day ?? []) {
      const exchange = toExchange(p.exchange);
      if (!exchange) continue;
      const { intraday_product: intradayProduct, delivery_product: deliveryProduct } = this.settings;
      const intraday = p.product === 'MIS' || (p.product === intradayProduct && p.product !== deliveryProduct);
      out.push({ symbol: p.tradingsymbol, exchange, quantity: p.quantity, averagePrice: rupeesToMinor(p.average_price), product: intraday ? 'intraday' : 'delivery' });
    }
    return out;
  }

  async funds(): Promise<Funds> {
    const data = await this.client.data<KiteMargins>({ method: 'GET', path: '/user/margins', cls: 'other' });
    const equity = data?.equity;
    if (!equity) throw new BrokerError('protocol', 'GET /user/margins: no equity segment in the response', 'zerodha');
    const available = equity.available?.live_balance ?? equity.net ?? equity.available?.cash ?? 0;
    return { currency: 'INR', available: Math.round(rupeesToMinor(available)), used: Math.round(rupeesToMinor(equity.utilised?.debits ?? 0)) };
  }
}
