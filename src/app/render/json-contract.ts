import { MINOR_PER_MAJOR } from '../../domain/money.js';

/**
 * How every `--json` output and `watch --json` write numbers and times (README "Output
 * contract"); no command formats money for JSON by itself.
 *
 * - An amount of money (cash, value, charges, P&L, totals) is a decimal string in the account
 *   currency, exact because it comes from integer minor units, with an integer `*_minor` twin:
 *   `"value": "184826.40", "value_minor": 18482640`.
 * - A price on the tick is a decimal string with the currency's decimals: `"2100.50"`.
 * - An average or a benchmark (a VWAP, a mid), which need not be on the tick, is a decimal
 *   string with up to 4 decimals: `"1510.0567"`, `"1510.06"`.
 * - Quantities are integers; bps, rates and fractions are JSON numbers; times are ISO 8601 UTC.
 * - Keys are snake_case.
 */

/** Decimal places of each currency's major unit (all currencies traded have 2, like MINOR_PER_MAJOR). */
const CURRENCY_DECIMALS: Record<string, number> = { INR: 2, USD: 2 };
const DEFAULT_DECIMALS = Math.round(Math.log10(MINOR_PER_MAJOR));
/** Extra decimals an average may have beyond the currency's. */
const AVERAGE_EXTRA_DECIMALS = 2;

/** An amount in minor units as a decimal string: 18482640 → "184826.40"; a fraction of a minor unit is rounded. */
export function moneyText(minor: number, currency?: string | null): string {
  return decimal(Math.round(minor), decimalsOf(currency), decimalsOf(currency));
}

/**
 * An amount of money and its exact twin, to spread into an object:
 * `money('value', 18482640)` → `{ value: "184826.40", value_minor: 18482640 }` (both null when unknown).
 */
export function money<K extends string>(key: K, minor: number | null | undefined, currency?: string | null): { [P in K]: string | null } & { [P in `${K}_minor`]: number | null } {
  const known = minor !== null && minor !== undefined && Number.isFinite(minor);
  return { [key]: known ? moneyText(minor, currency) : null, [`${key}_minor`]: known ? Math.round(minor) : null } as { [P in K]: string | null } & { [P in `${K}_minor`]: number | null };
}

/** A price on the tick (minor units): 210050 → "2100.50". */
export function price(minor: number | null | undefined, currency?: string | null): string | null {
  return minor === null || minor === undefined || !Number.isFinite(minor) ? null : moneyText(minor, currency);
}

/**
 * An average or benchmark price (minor units, maybe fractional), to 4 decimals, trailing zeros
 * beyond the currency's dropped: 151005.67 → "1510.0567", 151006 → "1510.06".
 */
export function averagePrice(minor: number | null | undefined, currency?: string | null): string | null {
  if (minor === null || minor === undefined || !Number.isFinite(minor)) return null;
  const decimals = decimalsOf(currency);
  const scale = 10 ** AVERAGE_EXTRA_DECIMALS;
  return decimal(Math.round(minor * scale), decimals + AVERAGE_EXTRA_DECIMALS, decimals);
}

/** Epoch milliseconds as ISO 8601 UTC. */
export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

/** `clientOrderId` → `client_order_id`. */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** Every key of plain objects, at any depth, in snake_case; values are kept as they are. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCase(k), snakeKeys(v)]));
}

function decimalsOf(currency?: string | null): number {
  return (currency ? CURRENCY_DECIMALS[currency] : undefined) ?? DEFAULT_DECIMALS;
}

/**
 * An integer count of 10^-places major units as a decimal string with at least `min` decimals:
 * decimal(15100567, 4, 2) → "1510.0567", decimal(15100600, 4, 2) → "1510.06".
 */
function decimal(units: number, places: number, min: number): string {
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(places + 1, '0');
  let fraction = digits.slice(digits.length - places);
  while (fraction.length > min && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const whole = digits.slice(0, digits.length - places);
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}
