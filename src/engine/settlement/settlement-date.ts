import type { NewEvent, SettlementScheduled } from '../../domain/events/index.js';
import type { Exchange } from '../../domain/instrument.js';
import { addBusinessDays, tradingDate } from '../../market/calendar/index.js';
import type { RecordedFill } from '../../domain/fill.js';

/** Indian and US equities settle T+1 (BROKERS.md). */
export const SETTLEMENT_LAG_BUSINESS_DAYS = 1;

/** The trade date (exchange-local) and the settlement date: T+1 business day on its calendar. */
export function settlementDates(exchange: Exchange, ts: number): { tradeDate: string; settleDate: string } {
  const tradeDate = tradingDate(exchange, ts);
  return { tradeDate, settleDate: addBusinessDays(exchange, tradeDate, SETTLEMENT_LAG_BUSINESS_DAYS) };
}

/** `settlement.scheduled` for each fill: the engine appends these with the fills. */
export function settlementEvents(fills: readonly RecordedFill[], marketTs?: number): NewEvent<SettlementScheduled>[] {
  return fills.map((f) => ({
    runId: f.runId,
    type: 'settlement.scheduled',
    marketTs,
    payload: {
      broker: f.broker,
      tradeId: f.tradeId,
      account: f.account,
      exchange: f.exchange,
      symbol: f.symbol,
      side: f.side,
      quantity: f.quantity,
      value: f.quantity * f.price,
      ...settlementDates(f.exchange, f.ts),
    },
  }));
}
