/**
 * Money and prices are integers in minor units (paise, cents). Every currency we trade has two
 * decimal places, so one scale serves all; conversion to decimals happens only for display and
 * at the broker wire boundary.
 */
export type Currency = 'INR' | 'USD';

export const MINOR_PER_MAJOR = 100;

/** Converts a decimal amount (as written in files or on the wire) to minor units, exactly. */
export function toMinor(major: number): number {
  if (!Number.isFinite(major)) throw new RangeError(`not a finite amount: ${major}`);
  // toFixed(6) then rounding removes binary noise such as 2500.4999999 before scaling.
  return Math.round(Number((major * MINOR_PER_MAJOR).toFixed(6)));
}

export function toMajor(minor: number): number {
  return minor / MINOR_PER_MAJOR;
}

/** Decimal string for display or wire formats: 250050 → "2500.50". */
export function formatMinor(minor: number, decimals = 2): string {
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const whole = Math.trunc(abs / MINOR_PER_MAJOR);
  const frac = abs - whole * MINOR_PER_MAJOR;
  let text = `${whole}.${String(Math.round(frac)).padStart(2, '0')}`;
  if (decimals > 2) text += '0'.repeat(decimals - 2);
  if (decimals === 0) text = String(Math.round(abs / MINOR_PER_MAJOR));
  return negative ? `-${text}` : text;
}

const SYMBOLS: Record<Currency, string> = { INR: '₹', USD: '$' };

/** Human display with grouping: 1234567 minor INR → "₹12,345.67". */
export function formatMoney(minor: number, currency: Currency): string {
  const major = toMajor(minor);
  const text = Math.abs(major).toLocaleString(currency === 'INR' ? 'en-IN' : 'en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `${minor < 0 ? '-' : ''}${SYMBOLS[currency]}${text}`;
}

/** Notional of quantity × price, exact in minor units. */
export function notional(quantity: number, priceMinor: number): number {
  return quantity * priceMinor;
}
