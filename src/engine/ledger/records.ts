import type { Exchange } from '../../domain/instrument.js';
import type { Side } from '../../domain/side.js';

/**
 * A fill as post-trade reads it (from the `fills` projection). Money and prices in minor units.
 * `key` = broker + trade id identifies it everywhere (charges, settlements).
 */
export interface LedgerFill {
  broker: string;
  tradeId: string;
  clientOrderId: string;
  brokerOrderId: string;
  runId: string | null;
  account: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  quantity: number;
  price: number;
  ts: number;
  seq: number;
}

export function tradeKey(broker: string, tradeId: string): string {
  return `${broker}\u0000${tradeId}`;
}

export function currencyOf(exchange: string): 'INR' | 'USD' {
  return exchange === 'NSE' || exchange === 'BSE' ? 'INR' : 'USD';
}
