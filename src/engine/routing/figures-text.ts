import { formatMoney, type Currency } from '../../domain/money.js';

/** Shares as a PM reads them: `1,200`. */
export function sharesText(quantity: number): string {
  return quantity.toLocaleString('en-US');
}

/** Money without paise when there are none: `₹18`, `₹1,240.50`, `$3.10`. */
export function moneyText(minor: number, currency: Currency): string {
  const whole = Math.round(minor);
  const text = formatMoney(whole, currency);
  return whole % 100 === 0 ? text.replace(/\.00$/, '') : text;
}

/** A spread or a share as a percentage: 0.05%, 12%. */
export function percentText(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits).replace(/\.?0+$/, '') || '0'}%`;
}

/** `1.5 bps` */
export function bpsText(bps: number): string {
  return `${bps.toFixed(1)} bps`;
}
