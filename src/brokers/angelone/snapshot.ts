import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { AngelOneSettings } from './config.js';
import type { AngelInstrumentCatalog } from './instruments.js';
import { decimalToPaise, ourSymbol, toExchange, type WireNumber, wireInteger } from './mapping.js';
import type { SmartApiClient } from './smartapi-client.js';
import { ANGEL_PATHS } from './wire.js';

interface AngelHolding {
  tradingsymbol: string;
  exchange: string;
  quantity: WireNumber;
  t1quantity?: WireNumber;
  averageprice?: WireNumber;
  ltp?: WireNumber;
}

interface AngelPosition {
  tradingsymbol: string;
  exchange: string;
  producttype: string;
  buyqty?: WireNumber;
  sellqty?: WireNumber;
  buyamount?: WireNumber;
  sellamount?: WireNumber;
}

interface AngelRms {
  net?: WireNumber;
  availablecash?: WireNumber;
  utiliseddebits?: WireNumber;
}

/** One instrument of the quote endpoint's `fetched` list (FULL mode). UNVERIFIED: field names beyond ltp and close. */
interface AngelQuote {
  exchange: string;
  tradingSymbol: string;
  symbolToken: string;
  ltp?: WireNumber;
  close?: WireNumber;
  tradeVolume?: WireNumber;
  depth?: { buy?: { price: WireNumber }[]; sell?: { price: WireNumber }[] };
}

/** Tokens per quote call (SmartAPI allows 50 in FULL mode). */
const QUOTE_BATCH = 50;

/**
 * The account and market as SmartAPI reports them, translated into ptexec's types; rupees into
 * paise exactly (every amount is parsed from its decimal text, never through a float product).
 */
export class AngelOneSnapshot {
  constructor(
    private readonly client: SmartApiClient,
    private readonly catalog: AngelInstrumentCatalog,
    private readonly settings: AngelOneSettings,
    private readonly clock: Clock,
  ) {}

  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const all = await this.catalog.all();
    const wanted = instruments.map((i) => all.get(`${i.exchange}:${i.symbol}`)).filter((i): i is Instrument => i?.brokerToken !== undefined);
    const out: Quote[] = [];
    for (let i = 0; i < wanted.length; i += QUOTE_BATCH) {
      const chunk = wanted.slice(i, i + QUOTE_BATCH);
      const exchangeTokens: Record<string, string[]> = {};
      for (const inst of chunk) (exchangeTokens[inst.exchange] ??= []).push(inst.brokerToken!);
      const data = await this.client.data<{ fetched?: AngelQuote[] }>({
        method: 'POST',
        path: ANGEL_PATHS.quote,
        cls: 'quote',
        body: { mode: 'FULL', exchangeTokens },
      });
      for (const q of data?.fetched ?? []) {
        const quote = this.quote(q, chunk);
        if (quote) out.push(quote);
      }
    }
    return out;
  }

  private quote(q: AngelQuote, chunk: Instrument[]): Quote | undefined {
    const inst = chunk.find((c) => c.exchange === q.exchange && c.brokerToken === String(q.symbolToken));
    if (!inst) return undefined;
    const last = Math.round(decimalToPaise(q.ltp));
    const bid = Math.round(decimalToPaise(q.depth?.buy?.[0]?.price)) || last;
    const ask = Math.round(decimalToPaise(q.depth?.sell?.[0]?.price)) || last;
    const quote: Quote = { symbol: inst.symbol, exchange: inst.exchange, bid, ask, last, volume: wireInteger(q.tradeVolume), ts: this.clock.now() };
    const close = Math.round(decimalToPaise(q.close));
    if (close) quote.close = close;
    return quote;
  }

  /**
   * Holdings with their T+1 quantity. As with Kite (UNVERIFIED for SmartAPI: its documentation
   * shows `t1quantity` but not when a day's buy appears there), today's delivery trades are taken
   * from the positions, so the account owns holdings + T1 + today's DELIVERY position.
   */
  async holdings(): Promise<Holding[]> {
    const rows = await this.client.data<AngelHolding[] | null>({ method: 'GET', path: ANGEL_PATHS.holdings, cls: 'holdings' });
    const out: Holding[] = [];
    for (const h of rows ?? []) {
      const exchange = toExchange(h.exchange);
      const symbol = exchange ? ourSymbol(exchange, h.tradingsymbol) : undefined;
      if (!exchange || !symbol) continue;
      const holding: Holding = { symbol, exchange, quantity: wireInteger(h.quantity), t1Quantity: wireInteger(h.t1quantity), averagePrice: decimalToPaise(h.averageprice) };
      const ltp = Math.round(decimalToPaise(h.ltp));
      if (ltp) holding.lastPrice = ltp;
      out.push(holding);
    }
    return out;
  }

  /** Today's positions: bought − sold today (the carried-forward `cf…` fields are left out). */
  async positions(): Promise<Position[]> {
    const rows = await this.client.data<AngelPosition[] | null>({ method: 'GET', path: ANGEL_PATHS.positions, cls: 'positions' });
    const out: Position[] = [];
    for (const p of rows ?? []) {
      const exchange = toExchange(p.exchange);
      const symbol = exchange ? ourSymbol(exchange, p.tradingsymbol) : undefined;
      if (!exchange || !symbol) continue;
      const bought = wireInteger(p.buyqty);
      const sold = wireInteger(p.sellqty);
      const quantity = bought - sold;
      if (quantity === 0 && bought === 0) continue;
      const value = quantity >= 0 ? decimalToPaise(p.buyamount) : decimalToPaise(p.sellamount);
      const traded = quantity >= 0 ? bought : sold;
      const intraday = p.producttype === this.settings.intraday_product && p.producttype !== this.settings.delivery_product;
      out.push({ symbol, exchange, quantity, averagePrice: traded > 0 ? value / traded : 0, product: intraday ? 'intraday' : 'delivery' });
    }
    return out;
  }

  /** Funds from the RMS limits: `availablecash` (else `net`), and the debits used. */
  async funds(): Promise<Funds> {
    const rms = await this.client.data<AngelRms | null>({ method: 'GET', path: ANGEL_PATHS.rms, cls: 'rms' });
    if (!rms || (rms.availablecash === undefined && rms.net === undefined)) throw new BrokerError('protocol', `GET ${ANGEL_PATHS.rms}: no availablecash or net in the response`, 'angelone');
    return { currency: 'INR', available: Math.round(decimalToPaise(rms.availablecash ?? rms.net)), used: Math.round(decimalToPaise(rms.utiliseddebits)) };
  }
}
