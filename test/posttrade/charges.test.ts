import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateByWeight } from '../../src/engine/charges/allocate.js';
import { chargesForContractNote, chargesForTrade, type ChargeableTrade } from '../../src/engine/charges/contract-note.js';
import { ChargeScheduleError, loadChargeSchedules } from '../../src/app/loaders/charge-schedules.js';

const schedules = loadChargeSchedules();

function amounts(result: { components: { id: string; amount: number }[]; total: number }): Record<string, number> {
  return Object.fromEntries([...result.components.map((c) => [c.id, c.amount]), ['total', result.total]]);
}

function trade(over: Partial<ChargeableTrade>): ChargeableTrade {
  return { tradeId: 't1', orderId: 'o1', exchange: 'NSE', symbol: 'INFY', side: 'buy', quantity: 1, price: 100_00, ...over };
}

describe('Zerodha equity delivery, one trade (hand-computed, paise)', () => {
  // Value 100 × ₹2500.50 = ₹2,50,050.
  it('NSE buy: STT to the rupee, exchange and SEBI to the paisa, stamp duty to the rupee, GST on the sum', () => {
    const r = chargesForTrade(schedules, 'zerodha', { exchange: 'NSE', symbol: 'RELIANCE', side: 'buy', quantity: 100, price: 250_050 });
    // STT 0.1% = 250.05 → ₹250; exchange 0.00297% = 7.426485 → 7.43; SEBI ₹10/crore = 0.25005 → 0.25;
    // stamp 0.015% = 37.5075 → ₹38; GST 18% × (0 + 7.43 + 0.25) = 1.3824 → 1.38. Total 297.06.
    expect(amounts(r)).toEqual({ brokerage: 0, stt: 25_000, exchange: 743, sebi: 25, stamp: 3_800, dp: 0, gst: 138, total: 29_706 });
  });

  it('NSE sell: no stamp duty; DP ₹13.50 with GST', () => {
    const r = chargesForTrade(schedules, 'zerodha', { exchange: 'NSE', symbol: 'RELIANCE', side: 'sell', quantity: 100, price: 250_050 });
    // GST 18% × (7.43 + 0.25 + 13.50 = 21.18) = 3.8124 → 3.81. Total 250 + 7.43 + 0.25 + 13.50 + 3.81 = 274.99.
    expect(amounts(r)).toEqual({ brokerage: 0, stt: 25_000, exchange: 743, sebi: 25, stamp: 0, dp: 1_350, gst: 381, total: 27_499 });
  });

  it('BSE buy uses the BSE exchange charge 0.00375%', () => {
    const r = chargesForTrade(schedules, 'zerodha', { exchange: 'BSE', symbol: 'RELIANCE', side: 'buy', quantity: 100, price: 250_050 });
    // exchange 9.376875 → 9.38; GST 18% × 9.63 = 1.7334 → 1.73. Total 250 + 9.38 + 0.25 + 38 + 1.73 = 299.36.
    expect(amounts(r)).toEqual({ brokerage: 0, stt: 25_000, exchange: 938, sebi: 25, stamp: 3_800, dp: 0, gst: 173, total: 29_936 });
  });

  it('BSE sell', () => {
    const r = chargesForTrade(schedules, 'zerodha', { exchange: 'BSE', symbol: 'RELIANCE', side: 'sell', quantity: 100, price: 250_050 });
    // GST 18% × (9.38 + 0.25 + 13.50 = 23.13) = 4.1634 → 4.16. Total 250 + 9.38 + 0.25 + 13.50 + 4.16 = 277.29.
    expect(amounts(r)).toEqual({ brokerage: 0, stt: 25_000, exchange: 938, sebi: 25, stamp: 0, dp: 1_350, gst: 416, total: 27_729 });
  });

  it('rounds STT to the nearest rupee, half up', () => {
    const stt = (price: number) => amounts(chargesForTrade(schedules, 'zerodha', { exchange: 'NSE', symbol: 'X', side: 'buy', quantity: 1, price })).stt;
    expect(stt(1_499_00)).toBe(100); // 1.499 → ₹1
    expect(stt(1_500_50)).toBe(200); // 1.5005 → ₹2
    expect(stt(2_500_00)).toBe(300); // 2.5 exactly → ₹3
  });

  it('rounds stamp duty to the nearest rupee', () => {
    const stamp = (qty: number, price: number) => amounts(chargesForTrade(schedules, 'zerodha', { exchange: 'NSE', symbol: 'X', side: 'buy', quantity: qty, price })).stamp;
    expect(stamp(3, 1_111_10)).toBe(0); // 3333.30 × 0.015% = 0.499995 → ₹0
    expect(stamp(3, 1_111_20)).toBe(100); // 3333.60 × 0.015% = 0.50004 → ₹1
  });
});

describe('contract note (per scrip per day)', () => {
  it('rounds STT once on the day\'s turnover of the scrip, not per trade', () => {
    const alone = chargesForTrade(schedules, 'zerodha', { exchange: 'NSE', symbol: 'X', side: 'buy', quantity: 1, price: 1_400_00 });
    expect(amounts(alone).stt).toBe(100); // 1.40 → ₹1
    const note = chargesForContractNote(schedules, 'zerodha', [trade({ tradeId: 'a', price: 1_400_00 }), trade({ tradeId: 'b', orderId: 'o2', price: 1_400_00 })]);
    expect(amounts(note.scrips[0]!).stt).toBe(300); // 2.80 → ₹3, where two separate notes would give ₹2
    expect(note.trades.map((t) => t.components.stt)).toEqual([150, 150]);
  });

  it('a buy and a sell of one scrip on one day: one DP charge, and the trades\' charges add up to the note', () => {
    const note = chargesForContractNote(schedules, 'zerodha', [
      trade({ tradeId: 'b', side: 'buy', quantity: 10, price: 100_00 }),
      trade({ tradeId: 's', orderId: 'o2', side: 'sell', quantity: 10, price: 110_00 }),
    ]);
    // turnover 2100: STT 2.1 → ₹2; exchange 0.06237 → 0.06; SEBI 0.0021 → 0.00; stamp on 1000 = 0.15 → ₹0;
    // DP 13.50; GST 18% × 13.56 = 2.4408 → 2.44. Total 18.00.
    expect(amounts(note)).toEqual({ brokerage: 0, stt: 200, exchange: 6, sebi: 0, stamp: 0, dp: 1_350, gst: 244, total: 1_800 });
    const [buy, sell] = note.trades;
    expect(buy!.components.stt! + sell!.components.stt!).toBe(200);
    expect(buy!.components.stt).toBe(95); // 200 × 1000/2100 = 95.2
    expect(sell!.components.dp).toBe(1_350);
    expect(buy!.components.dp).toBe(0);
    expect(buy!.total + sell!.total).toBe(note.total);
  });

  it('separate scrips are separate notes within the day', () => {
    const note = chargesForContractNote(schedules, 'zerodha', [trade({ tradeId: 'a', symbol: 'A', side: 'sell' }), trade({ tradeId: 'b', symbol: 'B', side: 'sell' })]);
    expect(note.scrips).toHaveLength(2);
    expect(amounts(note).dp).toBe(2_700);
  });
});

describe('brokers with brokerage per executed order', () => {
  it('Angel One: 0.1% per order, at least ₹5 and at most ₹20', () => {
    const brokerage = (qty: number, price: number) => amounts(chargesForTrade(schedules, 'angelone', { exchange: 'NSE', symbol: 'X', side: 'buy', quantity: qty, price })).brokerage;
    expect(brokerage(10, 100_00)).toBe(500); // 0.1% of 1000 = 1 → minimum ₹5
    expect(brokerage(100, 150_00)).toBe(1_500); // 0.1% of 15000 = ₹15
    expect(brokerage(100, 2_500_00)).toBe(2_000); // 0.1% of 250000 = 250 → cap ₹20
  });

  it('applies the minimum per order, not per fill', () => {
    const oneOrder = chargesForContractNote(schedules, 'angelone', [trade({ tradeId: 'a', quantity: 10 }), trade({ tradeId: 'b', quantity: 10 })]);
    const twoOrders = chargesForContractNote(schedules, 'angelone', [trade({ tradeId: 'a', quantity: 10 }), trade({ tradeId: 'b', orderId: 'o2', quantity: 10 })]);
    expect(amounts(oneOrder).brokerage).toBe(500);
    expect(amounts(twoOrders).brokerage).toBe(1_000);
    // GST follows: 18% × (5 + exchange 0.06 + SEBI 0.00) = 0.9108 → 0.91 on the single order.
    expect(amounts(oneOrder).gst).toBe(91);
  });
});

describe('Alpaca (US): no commission, SEC fee and FINRA TAF on sells, rounded up to the cent', () => {
  it('charges nothing on a buy', () => {
    expect(chargesForTrade(schedules, 'alpaca', { exchange: 'NASDAQ', symbol: 'AAPL', side: 'buy', quantity: 300, price: 187_25 }).total).toBe(0);
  });

  it('rounds the SEC fee and TAF up', () => {
    // A trade of January 2025, when the SEC fee was $27.80 per million.
    const r = chargesForTrade(schedules, 'alpaca', { exchange: 'NASDAQ', symbol: 'AAPL', side: 'sell', quantity: 300, price: 187_25 }, '2025-01-15');
    // SEC 56175 × 0.0000278 = 1.561665 → $1.57; TAF 300 × 0.000166 = 0.0498 → $0.05.
    expect(amounts(r)).toEqual({ sec_fee: 157, finra_taf: 5, total: 162 });
  });

  it('caps TAF at $8.30 per trade', () => {
    const r = chargesForTrade(schedules, 'alpaca', { exchange: 'NYSE', symbol: 'F', side: 'sell', quantity: 60_000, price: 10_00 }, '2025-01-15');
    // TAF 60000 × 0.000166 = 9.96 → cap 8.30; SEC 600000 × 0.0000278 = 16.68 exactly.
    expect(amounts(r)).toEqual({ sec_fee: 1_668, finra_taf: 830, total: 2_498 });
  });
});

describe('schedules as data', () => {
  it('paper charges like Zerodha in India and Alpaca in the US', () => {
    const args = { exchange: 'NSE', symbol: 'X', side: 'sell', quantity: 100, price: 250_050 } as const;
    expect(chargesForTrade(schedules, 'paper', args).total).toBe(chargesForTrade(schedules, 'zerodha', args).total);
    const us = { exchange: 'NASDAQ', symbol: 'AAPL', side: 'sell', quantity: 300, price: 187_25 } as const;
    expect(chargesForTrade(schedules, 'paper', us, '2025-01-15').total).toBe(162);
  });

  it('config.json "charges" overrides a schedule', () => {
    const custom = loadChargeSchedules({ config: { schedules: { paper: { name: 'paper like Groww', markets: [{ same_as: 'groww' }] } } } });
    const r = chargesForTrade(custom, 'paper', { exchange: 'NSE', symbol: 'X', side: 'buy', quantity: 100, price: 150_00 });
    expect(amounts(r).brokerage).toBe(1500); // Groww's 0.1% of 15000 = 15.00, between ₹5 and ₹20
  });

  it('a relative charges.file is read from the config folder, and an unreadable one is named by the path tried', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-charges-'));
    writeFileSync(join(dir, 'my-schedules.json'), JSON.stringify({ schedules: { paper: { name: 'paper like Groww', markets: [{ same_as: 'groww' }] } } }));
    const custom = loadChargeSchedules({ config: { file: 'my-schedules.json' }, configDir: dir });
    expect(custom.forMarket('paper', 'NSE')!.scheduleName).toBe('paper like Groww');
    const missing = join(dir, 'nested', 'none.json');
    expect(() => loadChargeSchedules({ config: { file: 'nested/none.json' }, configDir: dir })).toThrow(`charges.file: cannot read ${missing} (ENOENT)`);
  });

  it('rejects an invalid schedule and names the field', () => {
    const bad = { schedules: { x: { name: 'x', markets: [{ exchanges: ['NSE'], currency: 'INR', components: [{ id: 'stt', label: 'STT', basis: 'value', rate_percent: 'ten' }] }] } } };
    expect(() => loadChargeSchedules({ config: bad })).toThrow(ChargeScheduleError);
    expect(() => loadChargeSchedules({ config: bad })).toThrow(/rate_percent/);
  });

  it('rejects a same_as loop', () => {
    const loop = { schedules: { a: { name: 'a', markets: [{ same_as: 'b' }] }, b: { name: 'b', markets: [{ same_as: 'a' }] } } };
    expect(() => loadChargeSchedules({ config: loop })).toThrow(/refers to itself/);
  });
});

describe('allocateByWeight', () => {
  it('splits exactly by largest remainder', () => {
    expect(allocateByWeight(200, [1000, 1100])).toEqual([95, 105]);
    expect(allocateByWeight(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocateByWeight(7, [0, 0])).toEqual([4, 3]);
    expect(allocateByWeight(-5, [1, 1])).toEqual([-3, -2]);
  });
});
