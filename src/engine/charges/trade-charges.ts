import type { Exchange } from '../../domain/instrument.js';
import type { NoteKey } from '../../domain/events/index.js';

export type { NoteKey } from '../../domain/events/index.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { RecordedFill } from '../../domain/fill.js';
import { tradeKey } from '../ledger/records.js';
import { chargesForContractNote, type ChargeableTrade, type ContractNoteCharges } from './contract-note.js';
import type { ChargeSchedules } from './schedule.js';

/** Which schedule a broker's fills are charged by: the schedule with the broker's id. */
export function scheduleIdFor(broker: string): string {
  return broker;
}

/**
 * Exchange-local dates change only at local midnight, which falls on a quarter hour in UTC for
 * every exchange we trade, so the date of a fill can be cached per UTC quarter hour.
 */
const QUARTER_HOUR = 900_000;
const dateCache = new Map<string, string>();

function cachedTradingDate(exchange: Exchange, ts: number): string {
  const key = `${exchange}:${Math.floor(ts / QUARTER_HOUR)}`;
  let date = dateCache.get(key);
  if (date === undefined) {
    if (dateCache.size > 100_000) dateCache.clear();
    date = tradingDate(exchange, ts);
    dateCache.set(key, date);
  }
  return date;
}

export function noteKeyOf(fill: RecordedFill): NoteKey {
  return { broker: fill.broker, account: fill.account, exchange: fill.exchange, symbol: fill.symbol, tradingDate: cachedTradingDate(fill.exchange, fill.ts) };
}

export function noteKeyString(k: NoteKey): string {
  return `${k.broker}\u0000${k.account}\u0000${k.exchange}\u0000${k.symbol}\u0000${k.tradingDate}`;
}

/** Groups fills by contract note. */
export function groupByNote(fills: readonly RecordedFill[]): Map<string, { key: NoteKey; fills: RecordedFill[] }> {
  const groups = new Map<string, { key: NoteKey; fills: RecordedFill[] }>();
  for (const f of fills) {
    const key = noteKeyOf(f);
    const id = noteKeyString(key);
    const g = groups.get(id);
    if (g) g.fills.push(f);
    else groups.set(id, { key, fills: [f] });
  }
  return groups;
}

export function noteCharges(schedules: ChargeSchedules, fills: readonly RecordedFill[]): ContractNoteCharges {
  const broker = fills[0]!.broker;
  return chargesForContractNote(schedules, scheduleIdFor(broker), fills.map(chargeableOf), cachedTradingDate(fills[0]!.exchange, fills[0]!.ts));
}

/** A fill as charges see it: brokerage is per executed order, the broker's where it gave one. */
export function chargeableOf(f: RecordedFill): ChargeableTrade {
  return { tradeId: f.tradeId, orderId: f.brokerOrderId || f.clientOrderId, exchange: f.exchange, symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price };
}

/**
 * Charges per trade: booked allocations where the ledger has them (what was actually booked),
 * otherwise computed from the fills' contract notes. `fills` must hold every fill of each note
 * involved (the whole day of that scrip), because STT and stamp duty are rounded per note.
 * Fills of brokers without a schedule get no charges and are named in `unpriced`.
 */
export function chargesByTrade(
  schedules: ChargeSchedules,
  fills: readonly RecordedFill[],
  booked: ReadonlyMap<string, number> = new Map(),
): { charges: Map<string, number>; unpriced: string[] } {
  const charges = new Map<string, number>();
  const unpriced = new Set<string>();
  for (const { key, fills: list } of groupByNote(fills).values()) {
    const allBooked = list.every((f) => booked.has(tradeKey(f.broker, f.tradeId)));
    if (allBooked) {
      for (const f of list) charges.set(tradeKey(f.broker, f.tradeId), booked.get(tradeKey(f.broker, f.tradeId))!);
      continue;
    }
    if (!schedules.forMarket(scheduleIdFor(key.broker), key.exchange)) {
      unpriced.add(`${key.broker} ${key.exchange}`);
      for (const f of list) charges.set(tradeKey(f.broker, f.tradeId), 0);
      continue;
    }
    const note = noteCharges(schedules, list);
    for (const t of note.trades) charges.set(tradeKey(key.broker, t.tradeId), t.total);
  }
  return { charges, unpriced: [...unpriced] };
}
