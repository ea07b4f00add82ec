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

  it('estimates before trading with the current schedule, buys free, in dollars', () => {
    const estimate = chargesForTrade(schedules, 'alpaca', sale);
    expect(estimate.currency).toBe('USD');
    expect(estimate.components.map((c) => [c.id, c.amount])).toEqual([['sec_fee', 0], ['finra_taf', 17]]);
    expect(chargesForTrade(schedules, 'alpaca', { ...sale, side: 'buy' }).total).toBe(0);
  });
});
