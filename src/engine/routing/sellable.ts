import type { Exchange } from '../../domain/instrument.js';

/** The key of `RoutableAccount.sellable`: `SYMBOL@EXCHANGE`. */
export function sellableKey(symbol: string, exchange: Exchange): string {
  return `${symbol}@${exchange}`;
}
