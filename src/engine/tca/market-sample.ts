import type { NewEvent } from '../../domain/events.js';
import type { Quote } from '../../domain/instrument.js';

export interface MarketSampledPayload {
  symbol: string;
  exchange: string;
  ts: number;
  bid: number;
  ask: number;
  last: number;
  /** The day's cumulative traded volume. */
  volume: number;
}

/**
 * `market.sampled`: a market print recorded during a run (at each decision point, a few per
 * minute). TCA builds interval VWAP, TWAP, close, participation and markouts from these.
 */
export function marketSampledEvent(runId: string | null, quote: Pick<Quote, 'symbol' | 'exchange' | 'ts' | 'bid' | 'ask' | 'last' | 'volume'>): NewEvent<'market.sampled', MarketSampledPayload> {
  return {
    runId,
    type: 'market.sampled',
    marketTs: quote.ts,
    payload: { symbol: quote.symbol, exchange: quote.exchange, ts: quote.ts, bid: quote.bid, ask: quote.ask, last: quote.last, volume: quote.volume },
  };
}
