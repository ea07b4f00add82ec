import { describe, expect, it } from 'vitest';
import { loadChargeSchedules } from '../../src/app/loaders/charge-schedules.js';
import { chargesForContractNote, chargesForTrade } from '../../src/engine/charges/contract-note.js';

const schedules = loadChargeSchedules();
// 1,000 shares sold at $250: $250,000 of proceeds.
const sale = { tradeId: 't1', orderId: 'o1', exchange: 'NASDAQ' as const, symbol: 'AAPL', side: 'sell' as const, quantity: 1_000, price: 25_000 };
const line = (lines: { id: string; amount: number }[], id: string) => lines.find((l) => l.id === id)?.amount;

describe('Alpaca charges: regulatory fees on US sells, each in force from its date', () => {
  it('charges the SEC fee at the rate of the trade date and the FINRA TAF per share with its cap', () => {
    // $27.80 per million until 13 May 2025: $6.95; $0 from 14 May 2025.
    const before = chargesForContractNote(schedules, 'alpaca', [sale], '2025-05-13');
    const after = chargesForContractNote(schedules, 'alpaca', [sale], '2025-05-14');
    expect(line(before.components, 'sec_fee')).toBe(695);
    expect(line(after.components, 'sec_fee')).toBe(0);
    // 1,000 × $0.000166 = $0.166 → $0.17 (rounded up); 100,000 shares would pass the $8.30 cap.
    expect(line(after.components, 'finra_taf')).toBe(17);
    const big = chargesForContractNote(schedules, 'alpaca', [{ ...sale, quantity: 100_000 }], '2025-06-02');
    expect(line(big.components, 'finra_taf')).toBe(830);
    // One line per fee, whatever the number of dated periods the schedule lists.
    expect(after.components.map((c) => c.id)).toEqual(['sec_fee', 'finra_taf']);
  });

  it('follows each dated period of the shared US regulatory schedule, the same for every US broker', () => {
    const on = (date: string, broker = 'alpaca') => Object.fromEntries(chargesForContractNote(schedules, broker, [sale], date).components.map((c) => [c.id, c.amount]));
    // SEC $0 until 3 April 2026, $20.60 per million from 4 April 2026: $250,000 → $5.15.
    expect(on('2026-04-03')).toEqual({ sec_fee: 0, finra_taf: 20 });
    expect(on('2026-04-04')).toEqual({ sec_fee: 515, finra_taf: 20 });
    // TAF $0.000195 a share in 2026 (1,000 → $0.195 → $0.20), nil from 1 October to 31 December 2026, $0.000232 from 2027.
    expect(on('2026-09-30')).toEqual({ sec_fee: 515, finra_taf: 20 });
    expect(on('2026-10-01')).toEqual({ sec_fee: 515, finra_taf: 0 });
    expect(on('2027-01-04')).toEqual({ sec_fee: 515, finra_taf: 24 });
    // The 2026 cap: 100,000 shares × $0.000195 = $19.50 → $9.79.
    expect(Object.fromEntries(chargesForContractNote(schedules, 'alpaca', [{ ...sale, quantity: 100_000 }], '2026-06-01').components.map((c) => [c.id, c.amount])).finra_taf).toBe(979);
    for (const broker of ['schwab', 'ibkr', 'paper']) expect(on('2026-04-04', broker)).toMatchObject({ sec_fee: 515, finra_taf: 20 });
  });

  it('estimates a trade on its trading date, buys free, in dollars', () => {
    const estimate = chargesForTrade(schedules, 'alpaca', sale, '2026-12-03');
    expect(estimate.currency).toBe('USD');
    expect(estimate.components.map((c) => [c.id, c.amount])).toEqual([['sec_fee', 515], ['finra_taf', 0]]);
    expect(chargesForTrade(schedules, 'alpaca', { ...sale, side: 'buy' }, '2026-12-03').total).toBe(0);
  });
});
