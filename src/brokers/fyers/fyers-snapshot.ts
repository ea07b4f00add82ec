import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import { rupeesToMinor } from '../http/rupees.js';
import type { FyersSettings } from './config.js';
import type { FyersClient } from './fyers-client.js';
import type { FyersSymbolCatalog } from './symbols.js';
import { FYERS_PATHS } from './wire-facts.js';

interface FyersHolding {
  symbol: string;
  /** "HLD" (in the demat) or "T1" (bought, not yet delivered). */
  holdingType?: string;
  quantity: number;
  qty_t1?: number;
  costPrice?: number;
  ltp?: number;
}

interface FyersPosition {
  symbol: string;
  productType: string;
  netQty?: number;
  netAvg?: number;
  dayBuyQty?: number;
  daySellQty?: number;
  buyAvg?: number;
  sellAvg?: number;
}

interface FyersQuote {
  n: string;
  s: string;
  v?: { lp?: number; bid?: number; ask?: number; volume?: number; prev_close_price?: number };
}

/** `fund_limit` ids [3p]: 2 "Utilized Amount", 10 "Available Balance". */
const FUND_USED = 2;
const FUND_AVAILABLE = 10;

/** The account and market as Fyers reports them, rupees into paise. */
export class FyersSnapshotReader {
  constructor(
    private readonly client: FyersClient,
    private readonly symbols: FyersSymbolCatalog,
    private readonly settings: FyersSettings,
    private readonly clock: Clock,
  ) {}

  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const catalog = await this.symbols.get();
    const tickers = [...new Set(instruments.map((i) => catalog.byKey.get(`${i.exchange}:${i.symbol}`)?.brokerToken).filter((t): t is string => !!t))];
    const out: Quote[] = [];
    for (let i = 0; i < tickers.length; i += this.settings.quote_batch) {
      const chunk = tickers.slice(i, i + this.settings.quote_batch);
      const body = await this.client.call({ method: 'GET', path: FYERS_PATHS.quotes, data: true, query: [['symbols', chunk.join(',')]] });
      for (const q of (body.d as FyersQuote[] | undefined) ?? []) {
        const name = catalog.ours(q.n);
        if (!name || q.s !== 'ok' || !q.v) continue;
        const last = Math.round(rupeesToMinor(q.v.lp));
        const quote: Quote = { ...name, bid: Math.round(rupeesToMinor(q.v.bid)) || last, ask: Math.round(rupeesToMinor(q.v.ask)) || last, last, volume: q.v.volume ?? 0, ts: this.clock.now() };
        if (q.v.prev_close_price) quote.close = Math.round(rupeesToMinor(q.v.prev_close_price));
        out.push(quote);
      }
    }
    return out;
  }

  /**
   * Holdings with their T1 part [unverified: the documentation's field descriptions are all that
   * was found]: a "T1" row is wholly T1; a "HLD" row is settled `quantity` plus `qty_t1`. Like
   * Kite, today's delivery trades are positions until the next day (holdingsIncludeTodaysTrades
   * is false).
   */
  async holdings(): Promise<Holding[]> {
    const [catalog, body] = await Promise.all([this.symbols.get(), this.client.call({ method: 'GET', path: FYERS_PATHS.holdings })]);
    const out = new Map<string, Holding>();
    for (const h of (body.holdings as FyersHolding[] | undefined) ?? []) {
      const name = catalog.ours(h.symbol);
      if (!name) continue;
      const t1 = h.holdingType === 'T1' ? h.quantity : (h.qty_t1 ?? 0);
      const settled = h.holdingType === 'T1' ? 0 : h.quantity;
      const key = `${name.exchange}:${name.symbol}`;
      const prior = out.get(key);
      const cost = rupeesToMinor(h.costPrice);
      if (prior) {
        const total = prior.quantity + prior.t1Quantity + settled + t1;
        prior.averagePrice = total > 0 ? (prior.averagePrice * (prior.quantity + prior.t1Quantity) + cost * (settled + t1)) / total : prior.averagePrice;
        prior.quantity += settled;
        prior.t1Quantity += t1;
        continue;
      }
      const holding: Holding = { ...name, quantity: settled, t1Quantity: t1, averagePrice: cost };
      if (h.ltp) holding.lastPrice = Math.round(rupeesToMinor(h.ltp));
      out.set(key, holding);
    }
    return [...out.values()];
  }

  /** Today's positions: `dayBuyQty − daySellQty` of each row (carried-forward quantities are holdings). */
  async positions(): Promise<Position[]> {
    const [catalog, body] = await Promise.all([this.symbols.get(), this.client.call({ method: 'GET', path: FYERS_PATHS.positions })]);
    const out: Position[] = [];
    for (const p of (body.netPositions as FyersPosition[] | undefined) ?? []) {
      const name = catalog.ours(p.symbol);
      if (!name) continue;
      const quantity = (p.dayBuyQty ?? 0) - (p.daySellQty ?? 0);
      const average = quantity >= 0 ? p.buyAvg : p.sellAvg;
      out.push({ ...name, quantity, averagePrice: rupeesToMinor(average ?? p.netAvg), product: p.productType === this.settings.delivery_product ? 'delivery' : 'intraday' });
    }
    return out;
  }

  async funds(): Promise<Funds> {
    const body = await this.client.call({ method: 'GET', path: FYERS_PATHS.funds });
    const limits = body.fund_limit as { id: number; equityAmount?: number }[] | undefined;
    const line = (id: number) => limits?.find((l) => l.id === id)?.equityAmount;
    const available = line(FUND_AVAILABLE);
    if (available === undefined) throw new BrokerError('protocol', `GET ${FYERS_PATHS.funds}: no "Available Balance" (id ${FUND_AVAILABLE}) in fund_limit`, 'fyers');
    return { currency: 'INR', available: Math.round(rupeesToMinor(available)), used: Math.round(rupeesToMinor(line(FUND_USED) ?? 0)) };
  }
}
