import type { Exchange } from '../../src/domain/instrument.js';
import type { Currency } from '../../src/domain/money.js';

/**
 * The market a subject's kit cases trade in. The cases speak of roles (`first`, the instrument the
 * kit account holds, and `second`), so one kit serves an Indian broker, a US broker and a FIX
 * counterparty alike.
 */
export interface KitMarket {
  exchange: Exchange;
  currency: Currency;
  /** The instrument the kit account holds (settled and T+1). */
  first: string;
  /** A second instrument, not held. */
  second: string;
  /** Five instruments the engine case spreads its seven legs over; the first two are `first` and `second`. */
  engineSymbols: readonly string[];
  /** Average price of the seeded holding of `first`, minor units. */
  holdingPrice: number;
  /** A symbol no venue knows. */
  unknownSymbol: string;
}

/** Where the kit trades unless a subject says otherwise: NSE, in paise. */
export const INDIA_KIT_MARKET: KitMarket = Object.freeze({
  exchange: 'NSE',
  currency: 'INR',
  first: 'INFY',
  second: 'SBIN',
  engineSymbols: ['INFY', 'SBIN', 'TCS', 'RELIANCE', 'ITC'],
  holdingPrice: 140_000,
  unknownSymbol: 'NOSUCHSTOCK',
});

/** US equities on NASDAQ, in cents. */
export const US_KIT_MARKET: KitMarket = Object.freeze({
  exchange: 'NASDAQ',
  currency: 'USD',
  first: 'AAPL',
  second: 'MSFT',
  engineSymbols: ['AAPL', 'MSFT', 'AMZN', 'GOOGL', 'META'],
  holdingPrice: 25_000,
  unknownSymbol: 'NOSUCHSTOCK',
});
