import type { Currency } from '../domain/money.js';

/** The exchange-local calendar date of a moment: IST for Indian accounts, New York for US ones. */
export function tradingDateFor(currency: Currency, ts: number): string {
  const timeZone = currency === 'INR' ? 'Asia/Kolkata' : 'America/New_York';
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ts));
}
