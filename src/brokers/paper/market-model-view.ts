import type { Exchange } from '../../domain/instrument.js';
import type { TradingSession } from '../../market/trading-session.js';
import type { PaperMarket } from './market.js';
import type { PaperMarketModelView } from './market-model.js';
import type { InstrumentIndex } from './universe.js';

/**
 * What the paper broker shows of its market model: one symbol's resolved parameters, the volume
 * curve and the session, read-only — an estimate built on it sees the market the orders meet.
 */
export function marketModelView(market: PaperMarket, index: InstrumentIndex, session: (exchange: Exchange, ts: number) => TradingSession): PaperMarketModelView {
  return {
    model: market.model,
    symbol: (symbol, exchange) => {
      const instrument = index.find(symbol, exchange);
      return instrument ? { ...market.parameters(instrument), impact: { ...market.parameters(instrument).impact } } : undefined;
    },
    curve: market.curve,
    session,
  };
}
