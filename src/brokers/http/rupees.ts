import type { Exchange } from '../../domain/instrument.js';

/** Rupees (decimal on an Indian broker's wire) → paise, keeping a fractional part for averages. */
export function rupeesToMinor(rupees: number | null | undefined): number {
  if (!rupees) return 0;
  return Number((rupees * 100).toFixed(4));
}

/** The Indian cash exchanges ptexec trades, from a broker's exchange word. */
export function toExchange(exchange: string): Exchange | undefined {
  return exchange === 'NSE' || exchange === 'BSE' ? exchange : undefined;
}
