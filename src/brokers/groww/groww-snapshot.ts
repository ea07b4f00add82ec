import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { GrowwSettings } from './config.js';
import type { GrowwClient } from './groww-client.js';
import { rupeesToMinor, toExchange } from './groww-mapping.js';

interface GrowwHolding {
  isin?: string;
  trading_symbol: string;
  quantity: number;
  average_price?: number;
  t1_quantity?: number;
  demat_free_quantity?: number;
  pledge_quantity?: number;
}

interface GrowwPosition {
  trading_symbol: string;
  exchange: string;
  product: string;
  quantity?: number;
  credit_quantity?: number;
  credit_price?: number;
  debit_quantity?: number;
  debit_price?: number;
  net_price?: number;
}

interface GrowwMargins {
  clear_cash?: number;
  net_margin_used?: number;
  equity_margin_details?: { net_equity_margin_used?: number; cnc_balance_available?: number; mis_balance_available?: number };
}

interface GrowwQuote {
  last_price?: number;
  bid_price?: number;
  offer_price?: number;
  volume?: number;
}

/**
 * The account and market as Groww reports them, read through the client (retried,
 * rate-limited) and translated into ptexec's types, rupees into paise. What is assumed of
 * holdings and positions is listed in wire-facts.ts.
 */
export class GrowwSnapshotReader {
  constructor(
    private readonly client: GrowwClient,
    private readonly settings: GrowwSettings,
    private readonly clock: Clock,
  ) {}

  /** One `GET /v1/live-data/quote` per instrument (live-data class, 10/s); an empty side of the book reads as the last price. */
  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const out: Quote[] = [];
    for (const i of instruments) {
      const q = await this.client.payload<GrowwQuote | null>({
        method: 'GET',
        path: '/v1/live-data/quote',
        cls: 'live_data',
        lookup: true,
        query: [
          ['exchange', i.exchange],
          ['segment', 'CASH'],
          ['trading_symbol', i.symbol],
        ],
      });
      if (!q?.last_price) continue;
      const last = Math.round(rupeesToMinor(q.last_price));
      out.push({
        symbol: i.symbol,
        exchange: i.exchange,
        last,
        bid: Math.round(rupeesToMinor(q.bid_price)) || last,
        ask: Math.round(rupeesToMinor(q.offer_price)) || last,
        volume: q.volume ?? 0,
        ts: this.clock.now(),
      });
    }
    return out;
  }

  /**
   * Groww's holdings are the demat account's, not an exchange's: they are reported on NSE. The
   * `quantity` includes the T1 shares (wire-facts.ts), so the settled part is the rest.
   */
  async holdings(): Promise<Holding[]> {
    const data = await this.client.payload<{ holdings?: GrowwHolding[] }>({ method: 'GET', path: '/v1/holdings/user', cls: 'non_trading' });
    return (data?.holdings ?? []).map((h) => {
      const t1 = Math.trunc(h.t1_quantity ?? 0);
      return { symbol: h.trading_symbol, exchange: 'NSE', quantity: Math.max(0, Math.trunc(h.quantity) - t1), t1Quantity: t1, averagePrice: rupeesToMinor(h.average_price) };
    });
  }

  /** Today's cash-segment positions: bought (credit) less sold (debit) today, per product. */
  async positions(): Promise<Position[]> {
    const data = await this.client.payload<{ positions?: GrowwPosition[] }>({ method: 'GET', path: '/v1/positions/user', cls: 'non_trading', query: [['segment', 'CASH']] });
    const out: Position[] = [];
    for (const p of data?.positions ?? []) {
      const exchange = toExchange(p.exchange);
      if (!exchange) continue;
      const quantity = (p.credit_quantity ?? 0) - (p.debit_quantity ?? 0);
      const intraday = p.product === 'MIS' || (p.product === this.settings.intraday_product && p.product !== this.settings.delivery_product);
      const price = quantity >= 0 ? (p.credit_price ?? p.net_price) : (p.debit_price ?? p.net_price);
      out.push({ symbol: p.trading_symbol, exchange, quantity, averagePrice: rupeesToMinor(price), product: intraday ? 'intraday' : 'delivery' });
    }
    return out;
  }

  /** Cash for delivery buys (`cnc_balance_available`), else the clear cash; used margin of the equity segment. */
  async funds(): Promise<Funds> {
    const data = await this.client.payload<GrowwMargins>({ method: 'GET', path: '/v1/margins/detail/user', cls: 'non_trading' });
    const equity = data?.equity_margin_details;
    const available = equity?.cnc_balance_available ?? data?.clear_cash;
    if (available === undefined) throw new BrokerError('protocol', 'GET /v1/margins/detail/user: neither cnc_balance_available nor clear_cash in the response', 'groww');
    return { currency: 'INR', available: Math.round(rupeesToMinor(available)), used: Math.round(rupeesToMinor(equity?.net_equity_margin_used ?? data?.net_margin_used ?? 0)) };
  }
}
