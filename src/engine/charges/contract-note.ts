import type { ChargeLine } from '../../domain/events/index.js';
import type { Trade } from '../../domain/fill.js';
import type { Exchange } from '../../domain/instrument.js';
import type { Currency } from '../../domain/money.js';
import { allocateByWeight } from './allocate.js';
import { roundPico } from './exact-amount.js';
import type { ChargeSchedules, MarketCharges, ResolvedComponent } from './schedule.js';

export type { ChargeLine } from '../../domain/events/index.js';

/** One execution, as charges need it, with the broker order it belongs to (brokerage is "per executed order"). */
export type ChargeableTrade = Pick<Trade, 'tradeId' | 'exchange' | 'symbol' | 'side' | 'quantity' | 'price'> & { orderId: string };

/** Charges of one scrip on one contract-note day (the level at which STT etc. are rounded). */
export interface ScripDayCharges {
  exchange: Exchange;
  symbol: string;
  currency: Currency;
  scheduleId: string;
  buyQuantity: number;
  sellQuantity: number;
  buyValue: number;
  sellValue: number;
  components: ChargeLine[];
  total: number;
}

/** A trade's share of its contract note, so the ledger can book charges per trade exactly. */
export interface TradeCharges {
  tradeId: string;
  components: Record<string, number>;
  total: number;
}

export interface ContractNoteCharges {
  scheduleId: string;
  scrips: ScripDayCharges[];
  trades: TradeCharges[];
  /** Totals per component over the note, in the order of the schedule. */
  components: ChargeLine[];
  total: number;
}

export class UnknownChargeMarketError extends Error {
  constructor(
    readonly scheduleId: string,
    readonly exchange: Exchange,
  ) {
    super(`charge schedule "${scheduleId}" has no charges for ${exchange}`);
    this.name = 'UnknownChargeMarketError';
  }
}

/**
 * The charges of one contract note: every trade of one account with one broker on one trading
 * day. Each component is computed exactly and rounded at its own level (per trade, per order or
 * per scrip-day), taxes on the rounded sum of their bases; then each scrip's amounts are spread
 * over its trades so that the trades' charges add up to the note to the minor unit.
 */
export function chargesForContractNote(schedules: ChargeSchedules, scheduleId: string, trades: readonly ChargeableTrade[], tradingDate?: string): ContractNoteCharges {
  const groups = new Map<string, ChargeableTrade[]>();
  for (const t of trades) {
    const key = `${t.exchange}:${t.symbol}`;
    const list = groups.get(key) ?? [];
    list.push(t);
    groups.set(key, list);
  }
  const scrips: ScripDayCharges[] = [];
  const tradeCharges: TradeCharges[] = [];
  const totals = new Map<string, ChargeLine>();
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    const first = group[0]!;
    const market = schedules.forMarket(scheduleId, first.exchange, tradingDate);
    if (!market) throw new UnknownChargeMarketError(scheduleId, first.exchange);
    const { scrip, perTrade } = scripDay(market, first.symbol, group);
    scrips.push(scrip);
    tradeCharges.push(...perTrade);
    for (const line of scrip.components) {
      const sum = totals.get(line.id);
      if (sum) sum.amount += line.amount;
      else totals.set(line.id, { ...line });
    }
  }
  const components = [...totals.values()];
  return { scheduleId, scrips, trades: tradeCharges, components, total: components.reduce((a, c) => a + c.amount, 0) };
}

/** The calculator: the charges of one trade as if it were alone on its contract note. */
export function chargesForTrade(schedules: ChargeSchedules, scheduleId: string, trade: Omit<ChargeableTrade, 'tradeId' | 'orderId'>, tradingDate?: string): ScripDayCharges {
  const note = chargesForContractNote(schedules, scheduleId, [{ ...trade, tradeId: 'trade', orderId: 'order' }], tradingDate);
  return note.scrips[0]!;
}

function scripDay(market: MarketCharges, symbol: string, trades: ChargeableTrade[]): { scrip: ScripDayCharges; perTrade: TradeCharges[] } {
  const amounts = new Map<string, number>();
  /** Per component, each trade's share (index-aligned with `trades`). */
  const shares = new Map<string, number[]>();
  for (const c of market.components.filter((x) => x.basis !== 'tax')) {
    const { total, perTrade } = computeComponent(c, trades);
    amounts.set(c.id, total);
    shares.set(c.id, perTrade);
  }
  for (const c of market.components.filter((x) => x.basis === 'tax')) {
    const base = c.on.reduce((a, id) => a + (amounts.get(id) ?? 0), 0);
    const applies = trades.some((t) => c.sides.has(t.side));
    const total = applies ? roundClamped(BigInt(base) * c.rate, c) : 0;
    amounts.set(c.id, total);
    // Tax follows its base: each trade carries the tax on its own share of the base.
    const weights = trades.map((_, i) => c.on.reduce((a, id) => a + (shares.get(id)?.[i] ?? 0), 0));
    shares.set(c.id, allocateByWeight(total, weights));
  }
  const components: ChargeLine[] = market.components.map((c) => ({ id: c.id, label: c.label, amount: amounts.get(c.id) ?? 0, uncertain: c.uncertain }));
  const perTrade = trades.map((t, i) => {
    const byComponent: Record<string, number> = {};
    let total = 0;
    for (const c of market.components) {
      const v = shares.get(c.id)?.[i] ?? 0;
      byComponent[c.id] = v;
      total += v;
    }
    return { tradeId: t.tradeId, components: byComponent, total };
  });
  let buyQuantity = 0;
  let sellQuantity = 0;
  let buyValue = 0;
  let sellValue = 0;
  for (const t of trades) {
    if (t.side === 'buy') {
      buyQuantity += t.quantity;
      buyValue += t.quantity * t.price;
    } else {
      sellQuantity += t.quantity;
      sellValue += t.quantity * t.price;
    }
  }
  const scrip: ScripDayCharges = {
    exchange: market.exchange,
    symbol,
    currency: market.currency,
    scheduleId: market.scheduleId,
    buyQuantity,
    sellQuantity,
    buyValue,
    sellValue,
    components,
    total: components.reduce((a, c) => a + c.amount, 0),
  };
  return { scrip, perTrade };
}

/** The exact (unrounded) amount a component charges on a set of trades, in pico-minor units. */
function exactAmount(c: ResolvedComponent, trades: readonly ChargeableTrade[]): bigint {
  let sum = 0;
  if (c.basis !== 'flat') for (const t of trades) sum += basisOf(c, t);
  return exactOfSum(c, trades.length, sum);
}

/** What a trade adds to a component's basis: its value (minor units) or its quantity. */
export function basisOf(c: ResolvedComponent, t: Pick<ChargeableTrade, 'quantity' | 'price'>): number {
  return c.basis === 'value' ? t.quantity * t.price : t.quantity;
}

/** The exact amount of a component over `count` trades whose bases add up to `sum`, in pico-minor units. */
export function exactOfSum(c: ResolvedComponent, count: number, sum: number): bigint {
  if (c.basis === 'flat') return count > 0 ? c.rate : 0n;
  // Values and quantities add up exactly as numbers (a note's value stays far below 2⁵³ minor
  // units); one bigint product per group keeps the rate exact without a bigint per trade.
  if (!Number.isSafeInteger(sum)) throw new RangeError('contract note value too large to compute exactly');
  // value: minor × (fraction × 10¹²) is pico-minor; quantity: units × pico-minor per unit.
  return BigInt(sum) * c.rate;
}

/** An exact amount clamped to the component's minimum and maximum, rounded as its rule says, in minor units. */
export function roundClamped(exact: bigint, c: ResolvedComponent): number {
  let v = exact;
  if (c.minPico !== undefined && v < c.minPico) v = c.minPico;
  if (c.maxPico !== undefined && v > c.maxPico) v = c.maxPico;
  return roundPico(v, c.roundUnitPico, c.roundMode);
}

function computeComponent(c: ResolvedComponent, trades: readonly ChargeableTrade[]): { total: number; perTrade: number[] } {
  const perTrade = trades.map(() => 0);
  const applicable = trades.map((t, i) => ({ t, i })).filter(({ t }) => c.sides.has(t.side));
  if (applicable.length === 0) return { total: 0, perTrade };
  const value = (t: ChargeableTrade) => t.quantity * t.price;
  const spread = (amount: number, members: { t: ChargeableTrade; i: number }[]) => {
    const parts = allocateByWeight(
      amount,
      members.map(({ t }) => value(t)),
    );
    members.forEach(({ i }, k) => (perTrade[i] = perTrade[i]! + parts[k]!));
  };
  let total = 0;
  if (c.per === 'trade') {
    for (const m of applicable) {
      const amount = roundClamped(exactAmount(c, [m.t]), c);
      perTrade[m.i] = amount;
      total += amount;
    }
  } else if (c.per === 'order') {
    const orders = new Map<string, { t: ChargeableTrade; i: number }[]>();
    for (const m of applicable) {
      const list = orders.get(m.t.orderId);
      if (list) list.push(m);
      else orders.set(m.t.orderId, [m]);
    }
    for (const members of orders.values()) {
      const amount = roundClamped(
        exactAmount(
          c,
          members.map((m) => m.t),
        ),
        c,
      );
      spread(amount, members);
      total += amount;
    }
  } else {
    total = roundClamped(
      exactAmount(
        c,
        applicable.map((m) => m.t),
      ),
      c,
    );
    spread(total, applicable);
  }
  return { total, perTrade };
}

