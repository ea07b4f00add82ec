import type { Exchange } from '../instrument.js';
import type { Side } from '../side.js';

/** When a fill settles (its trade date and settlement date on the exchange's calendar). */
export interface SettlementScheduled {
  type: 'settlement.scheduled';
  payload: {
    broker: string;
    tradeId: string;
    account: string;
    exchange: Exchange;
    symbol: string;
    side: Side;
    quantity: number;
    value: number;
    tradeDate: string;
    settleDate: string;
  };
}

/** A due settlement confirmed against the broker's holdings, or found to have failed. */
export interface SettlementResolved {
  type: 'settlement.resolved';
  payload: {
    broker: string;
    tradeId: string;
    status: 'settled' | 'failed';
    difference?: number;
    reason?: string;
  };
}

export type SettlementEvent = SettlementScheduled | SettlementResolved;
