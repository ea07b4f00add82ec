import { formatMoney, toMinor, type Currency } from '../../domain/money.js';
import type { Exchange } from '../../domain/instrument.js';
import { isOnTick } from '../../domain/price.js';
import type { Side } from '../../domain/side.js';
import { calendarCovers, sessionState, tradingDate } from '../../market/calendar/index.js';
import type { RiskConfig } from './config.js';
import type { RiskLevel, RiskReason } from './types.js';

/**
 * The rules that look at one order at a time, shared by the plan check (legs) and the send-time
 * gate (children). Each appends reasons to `out` and allocates nothing when the order passes:
 * the send-time gate is on the hot path.
 */

/** Limits converted to minor units once per configuration object, not once per order. */
const maxValueMinor = new WeakMap<RiskConfig['order'], number | null>();

function maxValueOf(limits: RiskConfig['order']): number | null {
  let value = maxValueMinor.get(limits);
  if (value === undefined) {
    value = limits.max_value === null ? null : toMinor(limits.max_value);
    maxValueMinor.set(limits, value);
  }
  return value;
}

export function checkOrderSize(
  out: RiskReason[],
  scope: 'order' | 'child',
  limits: RiskConfig['order'],
  quantity: number,
  value: number,
  currency: Currency,
): void {
  const what = scope === 'order' ? 'order' : 'child order';
  if (limits.max_quantity !== null && quantity > limits.max_quantity) {
    out.push({ rule: 'order_quantity', level: 'block', message: `${what} quantity ${quantity} exceeds the maximum ${limits.max_quantity} (risk.${scope}.max_quantity)` });
  }
  const maxValue = maxValueOf(limits);
  if (maxValue !== null && value > maxValue) {
    out.push({
      rule: 'order_value',
      level: 'block',
      message: `${what} value ${formatMoney(value, currency)} exceeds the maximum ${formatMoney(maxValue, currency)} (risk.${scope}.max_value)`,
    });
  }
}

/**
 * Fat-finger band around the last price. A price on the aggressive side (a buy above, a sell
 * below) beyond `max_pct` blocks; on the passive side it cannot fill badly, so it only warns.
 */
export function checkPriceBand(
  out: RiskReason[],
  band: RiskConfig['price_band'],
  side: Side,
  price: number,
  reference: number,
  label: 'limit price' | 'expected price' | 'expected fill',
  currency: Currency,
): void {
  if (!(reference > 0)) return;
  const diff = price - reference;
  const absDiff100 = Math.abs(diff) * 100;
  const overMax = band.max_pct !== null && absDiff100 > band.max_pct * reference;
  if (!overMax && !(band.warn_pct !== null && absDiff100 > band.warn_pct * reference)) return;
  const aggressive = side === 'buy' ? diff > 0 : diff < 0;
  const what = () => `${label} ${formatMoney(price, currency)}`;
  const pct = () => ((Math.abs(diff) / reference) * 100).toFixed(2);
  if (overMax) {
    out.push({
      rule: 'price_band',
      level: aggressive ? 'block' : 'warn',
      message: `${what()} is ${pct()}% ${diff > 0 ? 'above' : 'below'} the last price (band ${band.max_pct}%, risk.price_band.max_pct)`,
    });
  } else {
    out.push({ rule: 'price_band', level: 'warn', message: `${what()} is ${pct()}% ${diff > 0 ? 'above' : 'below'} the last price (warning at ${band.warn_pct}%)` });
  }
}

export function checkLiquidity(out: RiskReason[], liquidity: RiskConfig['liquidity'], quantity: number, adv: number | undefined): void {
  if (adv === undefined || !(adv > 0)) {
    if (liquidity.when_adv_unknown !== 'pass' && (liquidity.max_adv_pct !== null || liquidity.warn_adv_pct !== null)) {
      out.push({ rule: 'liquidity', level: liquidity.when_adv_unknown, message: 'average daily volume unknown; liquidity not checked (risk.liquidity.when_adv_unknown)' });
    }
    return;
  }
  const pct = () => ((quantity / adv) * 100).toFixed(2);
  if (liquidity.max_adv_pct !== null && quantity * 100 > liquidity.max_adv_pct * adv) {
    out.push({ rule: 'liquidity', level: 'block', message: `${quantity} shares is ${pct()}% of average daily volume ${adv} (maximum ${liquidity.max_adv_pct}%, risk.liquidity.max_adv_pct)` });
  } else if (liquidity.warn_adv_pct !== null && quantity * 100 > liquidity.warn_adv_pct * adv) {
    out.push({ rule: 'liquidity', level: 'warn', message: `${quantity} shares is ${pct()}% of average daily volume (warning at ${liquidity.warn_adv_pct}%)` });
  }
}

/** Restricted and allowed lists, normalised once: entries are `SYMBOL` or `EXCHANGE:SYMBOL`. */
export interface SymbolLists {
  restricted: ReadonlySet<string>;
  allowed: ReadonlySet<string> | null;
}

export function compileLists(lists: RiskConfig['lists']): SymbolLists {
  const norm = (s: string) => s.trim().toUpperCase();
  return { restricted: new Set(lists.restricted.map(norm)), allowed: lists.allowed ? new Set(lists.allowed.map(norm)) : null };
}

function listed(set: ReadonlySet<string>, exchange: string, symbol: string): boolean {
  if (set.size === 0) return false;
  const s = symbol.toUpperCase();
  return set.has(s) || set.has(`${exchange}:${s}`);
}

export function checkLists(out: RiskReason[], lists: SymbolLists, exchange: string, symbol: string): void {
  if (listed(lists.restricted, exchange, symbol)) {
    out.push({ rule: 'restricted', level: 'block', message: `${exchange}:${symbol} is on the restricted list (risk.lists.restricted)` });
  }
  if (lists.allowed && !listed(lists.allowed, exchange, symbol)) {
    out.push({ rule: 'not_allowed', level: 'block', message: `${exchange}:${symbol} is not on the allowed list (risk.lists.allowed)` });
  }
}

export function checkTickAndLot(out: RiskReason[], quantity: number, lotSize: number, tickSize: number, limitPrice: number | undefined, triggerPrice?: number): void {
  if (!Number.isInteger(quantity) || quantity <= 0 || quantity % lotSize !== 0) {
    out.push({ rule: 'lot_size', level: 'block', message: `quantity ${quantity} is not a positive multiple of the lot size ${lotSize}` });
  }
  if (limitPrice !== undefined) checkOnTick(out, 'limit price', limitPrice, tickSize);
  if (triggerPrice !== undefined) checkOnTick(out, 'trigger price', triggerPrice, tickSize);
}

function checkOnTick(out: RiskReason[], what: string, price: number, tickSize: number): void {
  if (!(price > 0) || !isOnTick(price, tickSize)) {
    out.push({ rule: 'tick_size', level: 'block', message: `${what} ${price} (minor units) is not a positive multiple of the tick size ${tickSize}` });
  }
}

/**
 * The market must be in a session that accepts the order, unless it is an after-market order.
 * A simulated market (the paper broker) runs its own session (open by default) unless told to
 * follow the exchange calendar.
 */
export function checkSession(out: RiskReason[], session: RiskConfig['session'], simulatedMarket: boolean, exchange: Exchange, now: number, level: RiskLevel, afterMarket = false): void {
  if (afterMarket || !sessionApplies(session, simulatedMarket)) return;
  const s = sessionState(exchange, now);
  if (s.state === 'open' || (s.state === 'pre_open' && session.allow_pre_open) || (s.state === 'closing' && session.allow_closing)) return;
  const next = s.nextOpen ? `; next open ${new Date(s.nextOpen).toISOString()}` : '';
  out.push({ rule: 'session', level, message: `${exchange} is ${s.state.replace('_', '-')}${s.reason ? ` (${s.reason})` : ''}${next}` });
}

/** Whether the exchange calendar gates orders of this broker at all. */
export function sessionApplies(session: RiskConfig['session'], simulatedMarket: boolean): boolean {
  return session.enforce && (!simulatedMarket || session.paper_follows_exchange);
}

/**
 * Past the years the holiday lists cover (shipped, or added with `calendars.files`), the calendar
 * knows weekends only: a real broker's orders are not sent on a day that may be a holiday.
 */
export function checkCalendarCoverage(out: RiskReason[], exchange: Exchange, now: number): void {
  const day = tradingDate(exchange, now);
  const year = Number(day.slice(0, 4));
  if (!calendarCovers(exchange, year)) {
    out.push({
      rule: 'session',
      level: 'block',
      message: `no ${exchange} holiday list for ${year}: ptexec does not assume ${day} is a trading day; add the year's list with "calendars.files" in config.json (README "Exchange calendars")`,
    });
  }
}
