import type { Currency } from '../domain/money.js';
import { tradingDate } from '../market/exchange-time.js';

/** The exchange-local calendar date of a moment: IST for Indian accounts, New York for US ones. */
export function tradingDateFor(currency: Currency, ts: number): string {
  return tradingDate(currency === 'INR' ? 'NSE' : 'NYSE', ts);
}
