import type { RecordedFill } from '../../domain/fill.js';
import { currencyOf, tradeKey } from '../ledger/records.js';
import { settlementDates } from './settlement-date.js';
import { groupBy } from '../../domain/group-by.js';

export type SettlementStatus = 'pending' | 'settled' | 'failed';

/** One trade's settlement: what moves on which day. Cash and quantity are signed for the account. */
export interface SettlementRow {
  broker: string;
  tradeId: string;
  runId: string | null;
  account: string;
  exchange: RecordedFill['exchange'];
  symbol: string;
  side: RecordedFill['side'];
  tradeDate: string;
  settleDate: string;
  status: SettlementStatus;
  /** Shares received (+) or delivered (−). */
  quantity: number;
  /** Minor units: sale proceeds less charges (+), or purchase cost plus charges (−). */
  cash: number;
  charges: number;
  currency: 'INR' | 'USD';
  /** For a failed settlement: the quantity that did not move. */
  difference: number | null;
  reason: string | null;
}

export interface SettlementResolution {
  status: SettlementStatus;
  difference: number | null;
  reason: string | null;
}

/**
 * Every fill's settlement row. Dates come from the exchange calendar (T+1 business day); the
 * status from `settlement.resolved` events where the broker has confirmed or failed it.
 */
export function settlementRows(
  fills: readonly RecordedFill[],
  charges: ReadonlyMap<string, number>,
  resolutions: ReadonlyMap<string, SettlementResolution> = new Map(),
): SettlementRow[] {
  return fills.map((f) => {
    const key = tradeKey(f.broker, f.tradeId);
    const c = charges.get(key) ?? 0;
    const value = f.quantity * f.price;
    const r = resolutions.get(key);
    return {
      broker: f.broker,
      tradeId: f.tradeId,
      runId: f.runId,
      account: f.account,
      exchange: f.exchange,
      symbol: f.symbol,
      side: f.side,
      ...settlementDates(f.exchange, f.ts),
      status: r?.status ?? 'pending',
      quantity: f.side === 'buy' ? f.quantity : -f.quantity,
      cash: f.side === 'buy' ? -(value + c) : value - c,
      charges: c,
      currency: currencyOf(f.exchange),
      difference: r?.difference ?? null,
      reason: r?.reason ?? null,
    };
  });
}

/** What is due on one settlement day: net cash per currency and net shares per instrument. */
export interface SettlementDay {
  settleDate: string;
  trades: number;
  pending: number;
  settled: number;
  failed: number;
  /** Shares received and delivered, over every instrument. */
  bought: number;
  sold: number;
  cash: { currency: string; amount: number }[];
  quantities: { exchange: string; symbol: string; quantity: number }[];
}

export function dueByDay(rows: readonly SettlementRow[]): SettlementDay[] {
  const days = groupBy(rows, (r) => r.settleDate);
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([settleDate, list]) => {
      const cash = new Map<string, number>();
      const qty = new Map<string, { exchange: string; symbol: string; quantity: number }>();
      for (const r of list) {
        cash.set(r.currency, (cash.get(r.currency) ?? 0) + r.cash);
        const k = `${r.exchange}:${r.symbol}`;
        const q = qty.get(k) ?? { exchange: r.exchange, symbol: r.symbol, quantity: 0 };
        q.quantity += r.quantity;
        qty.set(k, q);
      }
      return {
        settleDate,
        trades: list.length,
        pending: list.filter((r) => r.status === 'pending').length,
        settled: list.filter((r) => r.status === 'settled').length,
        failed: list.filter((r) => r.status === 'failed').length,
        bought: list.reduce((a, r) => a + Math.max(0, r.quantity), 0),
        sold: list.reduce((a, r) => a + Math.max(0, -r.quantity), 0),
        cash: [...cash.entries()].sort().map(([currency, amount]) => ({ currency, amount })),
        quantities: [...qty.values()].sort((a, b) => `${a.exchange}:${a.symbol}`.localeCompare(`${b.exchange}:${b.symbol}`)),
      };
    });
}
