import { describe, expect, it } from 'vitest';
import { loadChargeSchedules } from '../../src/app/loaders/charge-schedules.js';
import { chargesForTrade } from '../../src/engine/charges/contract-note.js';

const schedules = loadChargeSchedules();
const amounts = (r: { components: { id: string; amount: number }[]; total: number }) => Object.fromEntries([...r.components.map((c) => [c.id, c.amount]), ['total', r.total]]);

describe('IBKR Pro Fixed (US stocks): a commission per share with a minimum per order, the regulatory fees on sales', () => {
  it('charges USD 0.005 a share with USD 1.00 at least, and on a sale the SEC fee (nil since May 2025) and the FINRA TAF rounded up', () => {
    // 100 × $0.005 = $0.50 → the $1.00 minimum; 1,000 shares → $5.00.
    expect(amounts(chargesForTrade(schedules, 'ibkr', { exchange: 'NASDAQ', symbol: 'AAPL', side: 'buy', quantity: 100, price: 270_01 }))).toMatchObject({ commission: 100, total: 100 });
    expect(amounts(chargesForTrade(schedules, 'ibkr', { exchange: 'NYSE', symbol: 'JPM', side: 'buy', quantity: 1_000, price: 305_01 }))).toMatchObject({ commission: 500, total: 500 });
    // TAF 1,000 × 0.000166 = 0.166 → $0.17; 60,000 shares → capped at $8.30.
    expect(amounts(chargesForTrade(schedules, 'ibkr', { exchange: 'NASDAQ', symbol: 'AAPL', side: 'sell', quantity: 1_000, price: 270_01 }, '2025-06-02'))).toEqual({ commission: 500, sec_fee: 0, finra_taf: 17, total: 517 });
    expect(amounts(chargesForTrade(schedules, 'ibkr', { exchange: 'NYSE', symbol: 'F', side: 'sell', quantity: 60_000, price: 10_00 }, '2025-06-02'))).toMatchObject({ commission: 300_00, finra_taf: 830 });
    // The regulators' fees come from the shared US schedule: on 2026-06-01, SEC $270,010 × 0.0000206 = $5.562 → $5.57, TAF 1,000 × $0.000195 → $0.20.
    expect(amounts(chargesForTrade(schedules, 'ibkr', { exchange: 'NASDAQ', symbol: 'AAPL', side: 'sell', quantity: 1_000, price: 270_01 }, '2026-06-01'))).toEqual({ commission: 500, sec_fee: 557, finra_taf: 20, total: 1_077 });
    expect(schedules.forMarket('ibkr', 'NSE')).toBeUndefined();
  });
});
