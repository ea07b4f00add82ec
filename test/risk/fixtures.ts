import type { Holding } from '../../src/domain/account.js';
import { instrumentKey, type Instrument, type InstrumentKey, type Quote } from '../../src/domain/instrument.js';
import type { AccountSnapshot, Leg, Plan } from '../../src/domain/plan.js';
import type { Side } from '../../src/domain/side.js';
import { defaultRiskConfig, type RiskConfig } from '../../src/engine/risk/index.js';

/** A small account: ₹1 crore, prices in paise, NSE instruments with tick 5 paise and lot 1. */
export const ACCOUNT_VALUE = 1_000_000_000;

export interface InstrumentSpec {
  symbol: string;
  price: number;
  adv?: number;
  sector?: string;
  tickSize?: number;
  lotSize?: number;
}

export function instrument(spec: InstrumentSpec): Instrument {
  return {
    symbol: spec.symbol,
    exchange: 'NSE',
    name: spec.symbol,
    currency: 'INR',
    tickSize: spec.tickSize ?? 5,
    lotSize: spec.lotSize ?? 1,
    adv: spec.adv,
    sector: spec.sector,
  };
}

export function quote(symbol: string, price: number): Quote {
  return { symbol, exchange: 'NSE', bid: price - 5, ask: price + 5, last: price, volume: 0, ts: 0 };
}

export interface LegSpec {
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  current?: number;
  limitPrice?: number;
}

export function leg(spec: LegSpec, index: number): Leg {
  const current = spec.current ?? 0;
  return {
    index,
    symbol: spec.symbol,
    exchange: 'NSE',
    side: spec.side,
    quantity: spec.quantity,
    current,
    target: spec.side === 'buy' ? current + spec.quantity : current - spec.quantity,
    decisionPrice: spec.price,
    estimatedPrice: spec.price,
    estimatedValue: spec.quantity * spec.price,
    limitPrice: spec.limitPrice,
    execution: { algo: 'market', orderType: spec.limitPrice === undefined ? 'market' : 'limit', limitPrice: spec.limitPrice, params: {} },
    notes: [],
  };
}

export function snapshot(instruments: InstrumentSpec[], holdings: Omit<Holding, 'exchange' | 'averagePrice'>[] = [], cash = ACCOUNT_VALUE): AccountSnapshot {
  const inst = new Map<InstrumentKey, Instrument>();
  const quotes = new Map<InstrumentKey, Quote>();
  for (const spec of instruments) {
    inst.set(instrumentKey('NSE', spec.symbol), instrument(spec));
    quotes.set(instrumentKey('NSE', spec.symbol), quote(spec.symbol, spec.price));
  }
  return {
    broker: 'paper',
    account: 'PAPER1',
    takenAt: 0,
    funds: { currency: 'INR', available: cash, used: 0 },
    holdings: holdings.map((h) => ({ ...h, exchange: 'NSE', averagePrice: 0 })),
    holdingsIncludeTodaysTrades: true,
    instruments: inst,
    quotes,
    simulatedMarket: true,
  };
}

export function plan(legs: LegSpec[], accountValue = ACCOUNT_VALUE, cash = ACCOUNT_VALUE): Plan {
  return { legs: legs.map(leg), skipped: [], notes: [], accountValue, cashBefore: cash, estimatedCashAfter: cash, currency: 'INR' };
}

/** The defaults with some sections replaced (a shallow merge per section). */
export function config(overrides: { [K in keyof RiskConfig]?: Partial<RiskConfig[K]> } = {}): RiskConfig {
  const base = defaultRiskConfig();
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) out[k] = v instanceof Map ? v : { ...(base as unknown as Record<string, object>)[k], ...v };
  return out as unknown as RiskConfig;
}

/** The NSE large caps of the README tour with realistic prices (paise) and volumes. */
export const LARGE_CAPS: InstrumentSpec[] = [
  { symbol: 'RELIANCE', price: 130_000, adv: 10_000_000, sector: 'Energy' },
  { symbol: 'TCS', price: 340_000, adv: 2_500_000, sector: 'IT' },
  { symbol: 'HDFCBANK', price: 170_000, adv: 15_000_000, sector: 'Financials' },
  { symbol: 'INFY', price: 150_000, adv: 7_000_000, sector: 'IT' },
  { symbol: 'ICICIBANK', price: 125_000, adv: 12_000_000, sector: 'Financials' },
  { symbol: 'ITC', price: 41_000, adv: 14_000_000, sector: 'FMCG' },
  { symbol: 'LT', price: 360_000, adv: 2_000_000, sector: 'Industrials' },
  { symbol: 'SBIN', price: 80_000, adv: 13_000_000, sector: 'Financials' },
  { symbol: 'BHARTIARTL', price: 160_000, adv: 6_000_000, sector: 'Telecom' },
  { symbol: 'HINDUNILVR', price: 240_000, adv: 1_500_000, sector: 'FMCG' },
];
