import type { Currency } from './money.js';
import type { Exchange } from './instrument.js';

/** A delivery holding. Settled `quantity` plus `t1Quantity` is what the account owns. */
export interface Holding {
  symbol: string;
  exchange: Exchange;
  quantity: number;
  t1Quantity: number;
  /** Average cost in minor units (may be fractional). */
  averagePrice: number;
  lastPrice?: number;
}

/** An intraday net position (bought and sold today), as brokers report it. */
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

export function ownedQuantity(holding: Pick<Holding, 'quantity' | 't1Quantity'>): number {
  return holding.quantity + holding.t1Quantity;
}
