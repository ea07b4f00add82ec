import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Exchange, type Instrument, instrumentKey, type Quote } from '../../domain/instrument.js';
import { toMinor } from '../../domain/money.js';
import type { UpstoxSettings } from './config.js';
import type { UpstoxInstruments } from './instruments.js';
import type { UpstoxClient } from './upstox-client.js';
import { rupeesToMinor } from '../http/rupees.js';
import { toExchange } from './upstox-mapping.js';

interface UpstoxQuote {
  instrument_token?: string;
  last_price?: number;
  volume?: number;
  ohlc?: { close?: number };
  depth?: { buy?: { price: number; quantity: number }[]; sell?: { price: number; quantity: number }[] };
}

interface UpstoxHolding {
  instrument_token?: string;
  trading_symbol?: string;
  tradingsymbol?: string;
  exchange: string;
  quantity: number;
  t1_quantity?: number;
  average_price?: number;
  last_price?: number;
}

interface UpstoxPosition {
  instrument_token?: string;
  trading_symbol?: string;
  tradingsymbol?: string;
  exchange: string;
  product: string;
  quantity: number;
  day_buy_quantity?: number;
  day_sell_quantity?: number;
  day_buy_price?: number;
  average_price?: number;
}

interface UpstoxFunds {
  equity?: { available_margin?: number; used_margin?: number };
}

/**
 * The account and market as Upstox reports them, read through the client (retried,
 * rate-limited) and translated into ptexec's types, rupees into paise. Rows are matched to
 * instruments by their instrument key where they carry one, else by exchange and symbol.
 */
export class UpstoxSnapshotReader {
  constructor(
    private readonly client: UpstoxClient,
    private readonly settings: UpstoxSettings,
    private readonly catalog: () => Promise<UpstoxInstruments>,
    private readonly clock: Clock,
  ) {}

  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const { bySymbol } = await this.catalog();
    const keys = [...new Set(instruments.map((i) => bySymbol.get(instrumentKey(i.exchange, i.symbol))?.brokerToken).filter((k): k is string => k !== undefined))];
    const out: Quote[] = [];
    const batch = this.settings.quote_batch;
    for (let i = 0; i < keys.length; i += batch) {
      const chunk = keys.slice(i, i + batch);
      const data = await this.client.data<Record<string, UpstoxQuote>>({ method: 'GET', path: '/v2/market-quote/quotes', cls: 'other', apiVersion: true, query: [['symbol', chunk.join(',')]] });
      for (const q of Object.values(data ?? {})) {
        const quote = await this.quote(q);
        if (quote) out.push(quote);
      }
    }
    return out;
  }

  /** A quote keyed by its instrument key; an empty side of the book reads as the last price. */
  private async quote(q: UpstoxQuote): Promise<Quote | undefined> {
    const inst = q.instrument_token ? (await this.catalog()).byKey.get(q.instrument_token) : undefined;
    if (!inst) return undefined;
    const last = Math.round(rupeesToMinor(q.last_price));
    const bid = Math.round(rupeesToMinor(q.depth?.buy?.[0]?.price)) || last;
    const ask = Math.round(rupeesToMinor(q.depth?.sell?.[0]?.price)) || last;
    const quote: Quote = { symbol: inst.symbol, exchange: inst.exchange, bid, ask, last, volume: q.volume ?? 0, ts: this.clock.now() };
    if (q.ohlc?.close) quote.close = Math.round(rupeesToMinor(q.ohlc.close));
    return quote;
  }

  /**
   * Upstox's holdings: like Kite's, shares bought today are a `D` position until the next
   * trading day, then `t1_quantity` until delivered, then `quantity`; shares sold today stay in
   * the holding and show as a negative `D` position. So what the account owns is
   * `quantity` + `t1_quantity` + today's delivery position (`holdingsIncludeTodaysTrades: false`).
   * unverified: that `quantity` excludes `t1_quantity` (the SDK's model names both; Upstox does
   * not say whether one includes the other).
   */
  async holdings(): Promise<Holding[]> {
    const rows = await this.client.data<UpstoxHolding[]>({ method: 'GET', path: '/v2/portfolio/long-term-holdings', cls: 'other', apiVersion: true });
    const out: Holding[] = [];
    for (const h of rows ?? []) {
      const where = await this.locate(h);
      if (!where) continue;
      const holding: Holding = { ...where, quantity: h.quantity, t1Quantity: h.t1_quantity ?? 0, averagePrice: rupeesToMinor(h.average_price) };
      if (h.last_price) holding.lastPrice = Math.round(rupeesToMinor(h.last_price));
      out.push(holding);
    }
    return out;
  }

  /** Today's positions: each row's day quantity (bought minus sold today); carried rows are holdings. */
  async positions(): Promise<Position[]> {
    const rows = await this.client.data<UpstoxPosition[]>({ method: 'GET', path: '/v2/portfolio/short-term-positions', cls: 'other', apiVersion: true });
    const out: Position[] = [];
    for (const p of rows ?? []) {
      const where = await this.locate(p);
      if (!where) continue;
      const quantity = p.day_buy_quantity !== undefined || p.day_sell_quantity !== undefined ? (p.day_buy_quantity ?? 0) - (p.day_sell_quantity ?? 0) : p.quantity;
      out.push({ ...where, quantity, averagePrice: rupeesToMinor(p.average_price), product: p.product === 'I' ? 'intraday' : 'delivery' });
    }
    return out;
  }

  async funds(): Promise<Funds> {
    const data = await this.client.data<UpstoxFunds>({ method: 'GET', path: '/v2/user/get-funds-and-margin', cls: 'other', apiVersion: true, query: [['segment', 'SEC']] });
    const equity = data?.equity;
    if (!equity || typeof equity.available_margin !== 'number') throw new BrokerError('protocol', 'GET /v2/user/get-funds-and-margin: no equity segment in the response', 'upstox');
    return { currency: 'INR', available: toMinor(equity.available_margin), used: toMinor(equity.used_margin ?? 0) };
  }

  private async locate(row: { instrument_token?: string; trading_symbol?: string; tradingsymbol?: string; exchange: string }): Promise<{ symbol: string; exchange: Exchange } | undefined> {
    const inst = row.instrument_token ? (await this.catalog()).byKey.get(row.instrument_token) : undefined;
    if (inst) return { symbol: inst.symbol, exchange: inst.exchange };
    const exchange = toExchange(row.exchange);
    const symbol = (row.trading_symbol ?? row.tradingsymbol ?? '').replace(/-EQ$/, '');
    return exchange && symbol ? { symbol, exchange } : undefined;
  }
}
