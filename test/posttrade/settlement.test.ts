import { describe, expect, it } from 'vitest';
import type { Holding } from '../../src/domain/account.js';
import { settlementDates } from '../../src/engine/settlement/settlement-date.js';
import { dueByDay, settlementRows, type SettlementRow } from '../../src/engine/settlement/settlement-book.js';
import { confirmSettlements } from '../../src/engine/settlement/confirm.js';
import type { RecordedFill } from '../../src/domain/fill.js';
import { compareTradeIds } from '../../src/domain/trade-id-order.js';

const ist = (date: string, time = '11:00') => Date.parse(`${date}T${time}:00+05:30`);
const ny = (date: string, time = '11:00') => Date.parse(`${date}T${time}:00-04:00`);

describe('settlement dates: T+1 business day on the exchange calendar', () => {
  it.each([
    ['2025-01-07', '2025-01-08', 'a Tuesday settles Wednesday'],
    ['2025-01-10', '2025-01-13', 'a Friday settles Monday'],
    ['2025-03-13', '2025-03-17', 'Thursday before Holi (Fri 14 Mar) settles Monday'],
    ['2025-04-17', '2025-04-21', 'Thursday before Good Friday settles Monday'],
    ['2025-04-11', '2025-04-15', 'Friday before Ambedkar Jayanti (Mon 14 Apr) settles Tuesday'],
  ])('NSE %s → %s (%s)', (trade, settle) => {
    expect(settlementDates('NSE', ist(trade))).toEqual({ tradeDate: trade, settleDate: settle });
  });

  it('uses the exchange-local date: 00:30 IST is already the next trading day', () => {
    // 2025-01-09T19:00Z is 00:30 IST on Friday the 10th.
    expect(settlementDates('NSE', Date.parse('2025-01-09T19:00:00Z'))).toEqual({ tradeDate: '2025-01-10', settleDate: '2025-01-13' });
  });

  it('NYSE skips its own holidays', () => {
    expect(settlementDates('NYSE', ny('2025-07-03'))).toEqual({ tradeDate: '2025-07-03', settleDate: '2025-07-07' });
    expect(settlementDates('NASDAQ', ny('2025-01-08'))).toEqual({ tradeDate: '2025-01-08', settleDate: '2025-01-10' });
  });
});

function fill(over: Partial<RecordedFill>): RecordedFill {
  return { broker: 'paper', tradeId: 't', clientOrderId: 'c', brokerOrderId: 'b', runId: 'r', account: 'PAPER', symbol: 'INFY', exchange: 'NSE', side: 'buy', quantity: 10, price: 150_000, ts: ist('2025-01-10'), seq: 1, ...over };
}

describe('settlement book', () => {
  it('cash due is net of charges; shares are signed', () => {
    const fills = [fill({ tradeId: 'b1', quantity: 10, price: 150_000 }), fill({ tradeId: 's1', side: 'sell', symbol: 'TCS', quantity: 5, price: 400_000 })];
    const rows = settlementRows(fills, new Map([['paper\u0000b1', 1_700], ['paper\u0000s1', 2_500]]));
    expect(rows.map((r) => [r.tradeId, r.settleDate, r.quantity, r.cash, r.status])).toEqual([
      ['b1', '2025-01-13', 10, -1_501_700, 'pending'],
      ['s1', '2025-01-13', -5, 1_997_500, 'pending'],
    ]);
    const [day] = dueByDay(rows);
    expect(day).toMatchObject({ settleDate: '2025-01-13', trades: 2, pending: 2, cash: [{ currency: 'INR', amount: 495_800 }], bought: 10, sold: 5 });
    expect(day!.quantities).toEqual([
      { exchange: 'NSE', symbol: 'INFY', quantity: 10 },
      { exchange: 'NSE', symbol: 'TCS', quantity: -5 },
    ]);
  });
});

describe('confirming settlements against the broker\'s holdings', () => {
  const rows: SettlementRow[] = settlementRows(
    [
      fill({ tradeId: 'a1', symbol: 'A', quantity: 100, ts: ist('2025-01-09') }), // settles 10th: due
      fill({ tradeId: 'a2', symbol: 'A', quantity: 50, ts: ist('2025-01-10') }), // settles 13th: due
      fill({ tradeId: 'a3', symbol: 'A', quantity: 30, ts: ist('2025-01-13') }), // settles 14th: not yet
      fill({ tradeId: 'b1', symbol: 'B', quantity: 40, ts: ist('2025-01-10') }), // due
      fill({ tradeId: 'c1', symbol: 'C', side: 'sell', quantity: 20, ts: ist('2025-01-10') }), // due
    ],
    new Map(),
  );
  const today = () => '2025-01-13';
  // The paper broker's holdings include today's trades (a3 is in A's T1 quantity).
  const paper = (holdings: Holding[]) => ({ holdings, positions: [], holdingsIncludeTodaysTrades: true });
  const statuses = (events: ReturnType<typeof confirmSettlements>) => Object.fromEntries(events.map((e) => [e.payload.tradeId, [e.payload.status, e.payload.difference]]));

  it('settles buys whose shares left T1, fails what is still there, newest first', () => {
    const events = confirmSettlements(
      rows,
      paper([
        { symbol: 'A', exchange: 'NSE', quantity: 150, t1Quantity: 30, averagePrice: 0 },
        { symbol: 'B', exchange: 'NSE', quantity: 0, t1Quantity: 40, averagePrice: 0 },
        { symbol: 'C', exchange: 'NSE', quantity: 80, t1Quantity: 0, averagePrice: 0 },
      ]),
      today,
      new Map([['C', 80]]),
    );
    expect(statuses(events)).toEqual({ a1: ['settled', undefined], a2: ['settled', undefined], b1: ['failed', 40], c1: ['settled', undefined] });
  });

  it('charges stuck T1 quantity to the most recent due buy, and undelivered shares to the sell', () => {
    const events = confirmSettlements(
      rows,
      paper([
        { symbol: 'A', exchange: 'NSE', quantity: 120, t1Quantity: 60, averagePrice: 0 },
        { symbol: 'C', exchange: 'NSE', quantity: 100, t1Quantity: 0, averagePrice: 0 },
      ]),
      today,
      // B is missing altogether: the ledger expects 40.
      new Map([['C', 80], ['B', 40]]),
    );
    expect(statuses(events)).toEqual({ a1: ['settled', undefined], a2: ['failed', 30], b1: ['failed', 40], c1: ['failed', 20] });
  });

  it('on Kite, today\'s trades are positions: a buy today is not missing, a sale today is not undelivered', () => {
    const events = confirmSettlements(
      rows,
      {
        // a1 and a2 have settled; b1's 40 are still T1; a3 (bought today) and 10 C sold today are positions.
        holdings: [
          { symbol: 'A', exchange: 'NSE', quantity: 150, t1Quantity: 0, averagePrice: 0 },
          { symbol: 'B', exchange: 'NSE', quantity: 0, t1Quantity: 40, averagePrice: 0 },
          { symbol: 'C', exchange: 'NSE', quantity: 80, t1Quantity: 0, averagePrice: 0 },
        ],
        positions: [
          { symbol: 'A', exchange: 'NSE', quantity: 30, averagePrice: 0, product: 'delivery' },
          { symbol: 'C', exchange: 'NSE', quantity: -10, averagePrice: 0, product: 'delivery' },
        ],
        holdingsIncludeTodaysTrades: false,
      },
      today,
      new Map([['A', 180], ['B', 40], ['C', 70]]),
    );
    expect(statuses(events)).toEqual({ a1: ['settled', undefined], a2: ['settled', undefined], b1: ['failed', 40], c1: ['settled', undefined] });
  });

  it('the most recent of one day\'s fills of an order is the one with the larger trade id by number', () => {
    // Paper trade ids end in the order's filled quantity so far: -150 came after -16.
    const fills = settlementRows([fill({ tradeId: 'P000000001-16', quantity: 16 }), fill({ tradeId: 'P000000001-150', quantity: 134 })], new Map());
    const events = confirmSettlements(fills, paper([{ symbol: 'INFY', exchange: 'NSE', quantity: 134, t1Quantity: 16, averagePrice: 0 }]), today);
    expect(statuses(events)).toEqual({ 'P000000001-16': ['settled', undefined], 'P000000001-150': ['failed', 16] });
  });
});

describe('trade ids in numeric order', () => {
  it('compares runs of digits as numbers, the rest as text', () => {
    const ids = ['P000000002-150', 'P000000010-1', 'P000000002-16', 'P000000002-9', 'T2', 'T10', 'T1', '250107000123456', '25010700012345'];
    expect([...ids].sort(compareTradeIds)).toEqual(['25010700012345', '250107000123456', 'P000000002-9', 'P000000002-16', 'P000000002-150', 'P000000010-1', 'T1', 'T2', 'T10']);
    expect(compareTradeIds('P02', 'P2')).not.toBe(0);
  });
});
