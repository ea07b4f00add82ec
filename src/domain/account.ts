import type { Currency } from './money.js';
import type { Exchange } from './instrument.js';

/**
 * A delivery holding: settled `quantity` plus `t1Quantity`. What the account owns may also
 * include today's trades the broker reports only as positions (`ownedInstruments`).
 */
export interface Holding {
  symbol: string;
  exchange: Exchange;
  quantity: number;
  t1Quantity: number;
  /** Average cost in minor units (may be fractional). */
  averagePrice: number;
  lastPrice?: number;
}

/** Today's net position of one product (bought − sold today), as brokers report it. */
export interface Position {
  symbol: string;
  exchange: Exchange;
  quantity: number;
  averagePrice: number;
  product: 'delivery' | 'intraday';
}

export interface Funds {
  currency: Currency;
  /** Cash available to trade, minor units. */
  available: number;
  /** Margin/limits used, minor units. */
  used: number;
}
