import { tradingDate } from '../market/exchange-time.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { Exchange } from '../domain/instrument.js';
import { toMinor } from '../domain/money.js';
import { chargesForTrade } from '../engine/charges/contract-note.js';
import type { MarketCharges } from '../engine/charges/schedule.js';
import type { Factory } from './factory.js';

export interface ChargesRequest {
  broker?: string;
  side: 'buy' | 'sell';
  qty: number;
  /** As typed: a positive decimal with at most two places. */
  price: string;
  exchange?: Exchange;
  /** A schedule file merged over the shipped one. */
  schedule?: string;
}

/** One trade's charges, component by component, as if it were alone on its contract note. */
export interface TradeCharges {
  broker: string;
  exchange: Exchange;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  value: number;
  market: MarketCharges;
  components: ReturnType<typeof chargesForTrade>['components'];
  total: number;
  /** What the trade costs (buy) or brings in (sell), charges included. */
  net: number;
}

/**
 * `ptexec charges`: the charges of one trade under a broker's schedule (any broker with one,
 * traded through ptexec or not). Components that do not apply to the side are left out.
 */
export async function tradeCharges(f: Factory, request: ChargesRequest): Promise<TradeCharges> {
  const decimal = Number(request.price);
  if (!/^\d+(\.\d+)?$/.test(request.price) || !(decimal > 0)) throw new InvalidInputError(`--price ${request.price}: expected a positive decimal such as 2500.50`);
  const price = toMinor(decimal);
  if (Math.abs(price / 100 - decimal) > 1e-9) throw new InvalidInputError(`--price ${request.price}: more than two decimal places`);
  const schedules = await f.chargeSchedules(request.schedule);
  const broker = await f.brokerName(request.broker);
  if (!schedules.has(broker)) throw new InvalidInputError(`no charge schedule for "${broker}"`, `available: ${schedules.ids().join(', ')}`);
  const exchange = request.exchange ?? (schedules.forMarket(broker, 'NSE') ? 'NSE' : 'NASDAQ');
  // Today's rates: a schedule may already list a period that starts later (next year's FINRA TAF).
  const today = tradingDate(exchange, f.wallNow());
  const market = schedules.forMarket(broker, exchange, today);
  if (!market) throw new InvalidInputError(`the "${broker}" schedule has no charges for ${exchange}`);
  const { side, qty: quantity } = request;
  const result = chargesForTrade(schedules, broker, { exchange, symbol: 'TRADE', side, quantity, price }, today);
  const value = quantity * price;
  const components = result.components.filter((c) => c.amount !== 0 || market.components.some((m) => m.id === c.id && m.sides.has(side)));
  return { broker, exchange, side, quantity, price, value, market, components, total: result.total, net: side === 'buy' ? value + result.total : value - result.total };
}
