import type { Clock } from '../../domain/clock.js';
import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import type { InstrumentQuery } from '../broker.js';
import type { SchwabClient } from './schwab-client.js';
import { cents } from './schwab-mapping.js';
import { SCHWAB_EXCHANGES, SCHWAB_TICK_CENTS } from './wire-facts.js';

interface SchwabInstrument {
  cusip?: string;
  symbol?: string;
  description?: string;
  exchange?: string;
  assetType?: string;
}

interface SchwabQuoteEntry {
  symbol?: string;
  quote?: { bidPrice?: number; askPrice?: number; lastPrice?: number; closePrice?: number; totalVolume?: number; quoteTime?: number; tradeTime?: number };
}

/** Asset types ptexec trades as shares (unverified: Schwab's instrument search calls exchange-traded funds ETF). */
const SHARES = new Set(['EQUITY', 'ETF']);

/**
 * Instruments and quotes from Schwab's market data API: `GET /instruments?symbol=A,B&projection=
 * symbol-search` (`{instruments: [{symbol, cusip, description, exchange, assetType}]}`) and
 * `GET /quotes?symbols=A,B&fields=quote` (`{A: {quote: {bidPrice, askPrice, lastPrice, closePrice,
 * totalVolume, quoteTime}}}`). The symbol is Schwab's key; US shares trade in whole shares on a
 * one-cent tick. The exchange of each symbol is remembered: Schwab's orders do not name it.
 */
export class SchwabMarketData {
  private readonly exchanges = new Map<string, Exchange>();

  constructor(
    private readonly client: SchwabClient,
    private readonly clock: Clock,
  ) {}

  /** The listing exchange of a symbol seen before (NYSE until known: Schwab's orders do not say). */
  exchangeOf(symbol: string): Exchange {
    return this.exchanges.get(symbol) ?? 'NYSE';
  }

  /** Learns where the symbols not seen before trade (one instrument look-up for all of them). */
  async learn(symbols: readonly string[]): Promise<void> {
    const unknown = [...new Set(symbols)].filter((s) => !this.exchanges.has(s));
    if (unknown.length) await this.instruments(unknown.map((symbol) => ({ symbol })));
  }

  /** Remembers where a symbol trades (from our own placement records). */
  remember(symbol: string, exchange: Exchange): void {
    this.exchanges.set(symbol, exchange);
  }

  async instruments(query: readonly InstrumentQuery[]): Promise<Instrument[]> {
    const symbols = [...new Set(query.map((q) => q.symbol.toUpperCase()).filter((s) => /^[A-Z][A-Z0-9./-]{0,9}$/.test(s)))];
    if (!symbols.length) return [];
    const body = await this.client.json<{ instruments?: SchwabInstrument[] }>({
      method: 'GET',
      path: '/instruments',
      cls: 'reads',
      marketData: true,
      query: [
        ['symbol', symbols.join(',')],
        ['projection', 'symbol-search'],
      ],
    });
    const bySymbol = new Map<string, Instrument>();
    for (const i of body.instruments ?? []) {
      const exchange = SCHWAB_EXCHANGES[String(i.exchange ?? '').toUpperCase()];
      if (!i.symbol || !exchange || !SHARES.has(String(i.assetType))) continue;
      this.remember(i.symbol, exchange);
      bySymbol.set(i.symbol, { symbol: i.symbol, exchange, name: i.description ?? i.symbol, currency: 'USD', tickSize: SCHWAB_TICK_CENTS, lotSize: 1, brokerToken: i.symbol });
    }
    return query.flatMap((q) => {
      const found = bySymbol.get(q.symbol.toUpperCase());
      return found && (q.exchange === undefined || q.exchange === found.exchange) ? [found] : [];
    });
  }

  async quotes(instruments: readonly Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    if (!instruments.length) return [];
    const body = await this.client.json<Record<string, SchwabQuoteEntry>>({
      method: 'GET',
      path: '/quotes',
      cls: 'reads',
      marketData: true,
      query: [
        ['symbols', instruments.map((i) => i.symbol).join(',')],
        ['fields', 'quote'],
      ],
    });
    return instruments.flatMap((i) => {
      const q = body[i.symbol]?.quote;
      if (!q) return [];
      return [
        {
          symbol: i.symbol,
          exchange: i.exchange,
          bid: Math.round(cents(q.bidPrice)),
          ask: Math.round(cents(q.askPrice)),
          last: Math.round(cents(q.lastPrice)),
          volume: Math.round(q.totalVolume ?? 0),
          ...(q.closePrice ? { close: Math.round(cents(q.closePrice)) } : {}),
          ts: q.quoteTime ?? q.tradeTime ?? this.clock.now(),
        },
      ];
    });
  }
}
