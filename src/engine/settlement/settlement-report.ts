import { compareTradeIds } from '../../domain/trade-id-order.js';
import type { ChargeSchedules } from '../charges/schedule.js';
import { chargesForFills, type PostTradeReader } from '../ledger/post-trade-reader.js';
import { dueByDay, settlementRows, type SettlementDay, type SettlementRow, type SettlementStatus } from './settlement-book.js';

export interface SettlementFilter {
  /** Only trades settling on this date (YYYY-MM-DD). */
  date?: string;
  status?: SettlementStatus;
  broker?: string;
  account?: string;
}

export interface SettlementReport {
  trades: SettlementRow[];
  days: SettlementDay[];
  unpriced: string[];
}

/** Every trade's settlement (date, status, cash and quantity due) and the totals per day. */
export function settlementReport(reader: PostTradeReader, schedules: ChargeSchedules, filter: SettlementFilter = {}): SettlementReport {
  const fills = reader.fills({ broker: filter.broker, account: filter.account });
  const { charges, unpriced } = chargesForFills(reader, schedules, fills, 'all');
  let rows = settlementRows(fills, charges, reader.settlementResolutions());
  if (filter.date) rows = rows.filter((r) => r.settleDate === filter.date);
  if (filter.status) rows = rows.filter((r) => r.status === filter.status);
  rows.sort((a, b) => (a.settleDate === b.settleDate ? compareTradeIds(a.tradeId, b.tradeId) : a.settleDate.localeCompare(b.settleDate)));
  return { trades: rows, days: dueByDay(rows), unpriced };
}
