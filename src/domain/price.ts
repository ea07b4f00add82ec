/**
 * Prices are integers in minor units and always on the instrument's tick. The one rounding
 * helper lives here so a price can never be put on the wire off-tick.
 */
export type TickRounding = 'nearest' | 'down' | 'up';

export function roundToTick(priceMinor: number, tickMinor: number, mode: TickRounding = 'nearest'): number {
  if (!(tickMinor > 0) || !Number.isInteger(tickMinor)) throw new RangeError(`invalid tick size: ${tickMinor}`);
  const ticks = priceMinor / tickMinor;
  const rounded = mode === 'down' ? Math.floor(ticks + 1e-9) : mode === 'up' ? Math.ceil(ticks - 1e-9) : Math.round(ticks);
  return rounded * tickMinor;
}

/** Rounds a limit price in the direction that keeps it passive for the side (buy down, sell up). */
export function roundPassive(priceMinor: number, tickMinor: number, side: 'buy' | 'sell'): number {
  return roundToTick(priceMinor, tickMinor, side === 'buy' ? 'down' : 'up');
}

export function isOnTick(priceMinor: number, tickMinor: number): boolean {
  return Number.isInteger(priceMinor) && priceMinor % tickMinor === 0;
}

/** NSE's price-band tick table (BROKERS.md), for when no instrument master says otherwise. */
export function nseTickForPrice(priceMinor: number): number {
  const rupees = priceMinor / 100;
  if (rupees < 250) return 1;
  if (rupees < 1000) return 5;
  if (rupees < 5000) return 10;
  if (rupees < 10000) return 50;
  if (rupees < 20000) return 100;
  return 500;
}

/** Basis points of a relative difference, positive when `value` is above `reference`. */
export function bps(value: number, reference: number): number {
  return ((value - reference) / reference) * 10_000;
}
