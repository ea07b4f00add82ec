import type { RecordedFill } from '../../domain/fill.js';

/** A fill as post-trade reads it (see RecordedFill). */
export type LedgerFill = RecordedFill;

export function tradeKey(broker: string, tradeId: string): string {
  return `${broker}\u0000${tradeId}`;
}

export function currencyOf(exchange: string): 'INR' | 'USD' {
  return exchange === 'NSE' || exchange === 'BSE' ? 'INR' : 'USD';
}
