import { describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../src/domain/events/index.js';
import { type DashboardCalendar, SettlementProjection } from '../../src/ui/view-model/settlement-projection.js';
import { T0 } from './fixtures.js';

const calendar: DashboardCalendar = {
  tradingDate: (exchange) => {
    if (exchange !== 'NSE') throw new Error(`unknown exchange ${exchange}`);
    return '2026-11-20';
  },
  addBusinessDays: () => '2026-11-23',
};

const fill = (tradeId: string, side: 'buy' | 'sell', value: number, exchange = 'NSE') => ({ broker: 'paper', tradeId, exchange, ts: T0, side, value });

function booking(trades: { tradeId: string; total: number }[], total = trades.reduce((s, t) => s + t.total, 0)): PayloadOf<'charges.booked'> {
  return {
    broker: 'paper',
    account: 'PA1',
    exchange: 'NSE',
    symbol: 'INFY',
    tradingDate: '2026-11-20',
    scheduleId: 'zerodha-equity-delivery',
    currency: 'INR',
    components: [],
    total,
    trades: trades.map((t) => ({ ...t, components: {} })),
  };
}

describe('the settlement panel and the run charges', () => {
  it('settles a fill T+1 by the calendar, and an exchange the calendar does not know on an unknown date', () => {
    const p = new SettlementProjection(calendar);
    p.onFill(fill('t1', 'buy', 100_000));
    p.onFill(fill('t2', 'sell', 40_000));
    p.onFill(fill('t3', 'buy', 5_000, 'XYZ'));
    expect(p.view()).toEqual([
      { date: null, exchange: 'XYZ', trades: 1, settled: 0, failed: 0, payIn: 5_000, payOut: 0, state: 'pending' },
      { date: '2026-11-23', exchange: 'NSE', trades: 2, settled: 0, failed: 0, payIn: 100_000, payOut: 40_000, state: 'pending' },
    ]);
  });

  it('moves a trade to the date the settlement area scheduled, and shows it settled or failed', () => {
    const p = new SettlementProjection(calendar);
    p.onFill(fill('t1', 'buy', 100_000));
    p.onScheduled({ broker: 'paper', tradeId: 't1', account: 'PA1', exchange: 'NSE', symbol: 'INFY', side: 'buy', quantity: 10, value: 100_000, tradeDate: '2026-11-20', settleDate: '2026-11-24' });
    expect(p.view().map((r) => [r.date, r.trades])).toEqual([['2026-11-24', 1]]);
    p.onResolved({ broker: 'paper', tradeId: 't1', status: 'settled' });
    expect(p.view()[0]).toMatchObject({ settled: 1, state: 'settled' });
    p.onResolved({ broker: 'paper', tradeId: 't1', status: 'failed' });
    expect(p.view()[0]).toMatchObject({ settled: 0, failed: 1, state: 'failed' });
  });

  it('counts a trade charge once: a later booking of the note replaces it, one booked before its fill counts when the fill arrives', () => {
    const p = new SettlementProjection(undefined);
    p.onCharges(booking([{ tradeId: 't1', total: 1_500 }]));
    expect(p.charges).toBe(0); // not this run's trade (yet)
    p.onFill(fill('t1', 'buy', 100_000));
    expect(p.charges).toBe(1_500);
    p.onCharges(booking([{ tradeId: 't1', total: 2_000 }]));
    expect(p.charges).toBe(2_000);
    p.onCharges(booking([], 700));
    p.onCharges(booking([], 900));
    expect(p.charges).toBe(2_900);
  });
});
