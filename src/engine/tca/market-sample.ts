import type { MarketSampled, NewEvent } from '../../domain/events/index.js';
import type { Quote } from '../../domain/instrument.js';

/**
 * `market.sampled`: a market print recorded during a run (at each decision point, a few per
 * minute). TCA builds interval VWAP, TWAP, close, participation and markouts from these.
 */
export function marketSampledEvent(runId: string | null, quote: Pick<Quote, 'symbol' | 'exchange' | 'ts' | 'bid' | 'ask' | 'last' | 'volume'>): NewEvent<MarketSampled> {
  return {
    runId,
    type: 'market.sampled',
    marketTs: quote.ts,
    payload: { symbol: quote.symbol, exchange: quote.exchange, ts: quote.ts, bid: quote.bid, ask: quote.ask, last: quote.last, volume: quote.volume },
  };
}
