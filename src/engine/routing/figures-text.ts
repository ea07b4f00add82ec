import { MINOR_PER_MAJOR, type Currency } from '../../domain/money.js';

/**
 * Figures as a PM reads them in a `why` line. Written out by hand rather than with Intl: a plan's
 * routing formats thousands of them, and Intl's formatters cost more than the routing itself.
 */

const SYMBOLS: Record<Currency, string> = { INR: '₹', USD: '$' };

/** 1234567 → `1,234,567`; with `indian`, lakhs and crores: `12,34,567`. */
function grouped(whole: number, indian: boolean): string {
  const digits = String(whole);
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3);
  const size = indian ? 2 : 3;
  const groups: string[] = [];
  for (let end = rest.length; end > 0; end -= size) groups.unshift(rest.slice(Math.max(0, end - size), end));
  return `${groups.join(',')},${last3}`;
}

/** Shares: `1,200`. */
export function sharesText(quantity: number): string {
  return `${quantity < 0 ? '-' : ''}${grouped(Math.abs(Math.trunc(quantity)), false)}`;
}

/** Money without paise when there are none, grouped as its currency is: `₹18`, `₹1,15,240.97`, `$3.10`. */
export function moneyText(minor: number, currency: Currency): string {
  const abs = Math.abs(Math.round(minor));
  const whole = Math.trunc(abs / MINOR_PER_MAJOR);
  const paise = abs % MINOR_PER_MAJOR;
  return `${minor < 0 && abs > 0 ? '-' : ''}${SYMBOLS[currency]}${grouped(whole, currency === 'INR')}${paise === 0 ? '' : `.${String(paise).padStart(2, '0')}`}`;
}

/** A spread or a share as a percentage: 0.05%, 12%. */
export function percentText(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits).replace(/\.?0+$/, '') || '0'}%`;
}

/** `1.5 bps` */
export function bpsText(bps: number): string {
  return `${bps.toFixed(1)} bps`;
}
