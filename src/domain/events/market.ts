/**
 * A market print recorded during a run (at each decision point, a few per minute). TCA builds
 * interval VWAP, TWAP, close, participation and markouts from these.
 */
export interface MarketSampled {
  type: 'market.sampled';
  payload: {
    symbol: string;
    exchange: string;
    ts: number;
    bid: number;
    ask: number;
    last: number;
    /** The day's cumulative traded volume. */
    volume: number;
  };
}
