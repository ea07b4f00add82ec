import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadChargeSchedules } from '../../../src/app/loaders/charge-schedules.js';
import type { Exchange } from '../../../src/domain/instrument.js';
import { chargesForTrade } from '../../../src/engine/charges/contract-note.js';
import { scheduleCharges } from '../../../src/engine/routing/schedule-charges.js';

/** The router's charges from a schedule are the contract-note calculator's for the same single trade, to the paisa. */

const schedules = loadChargeSchedules();
const markets: [string, Exchange][] = [];
for (const id of schedules.ids()) for (const exchange of ['NSE', 'BSE', 'NYSE', 'NASDAQ'] as const) if (schedules.forMarket(id, exchange)) markets.push([id, exchange]);

describe('scheduleCharges', () => {
  it('covers the shipped schedules', () => {
    expect(markets.map(([id]) => id)).toEqual(expect.arrayContaining(['zerodha', 'upstox', 'fyers', 'angelone', 'groww', 'alpaca', 'schwab', 'ibkr']));
  });

  it('equals chargesForTrade for any one trade on any shipped market', () => {
    fc.assert(
      fc.property(fc.constantFrom(...markets), fc.constantFrom('buy' as const, 'sell' as const), fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 2_000_000 }), ([id, exchange], side, quantity, ticks) => {
        const trade = { symbol: 'X', exchange, side, quantity, price: ticks * 5 };
        expect(scheduleCharges(schedules, id)(trade)).toBe(chargesForTrade(schedules, id, trade).total);
      }),
      { seed: 1812, numRuns: 2_000 },
    );
  });

  it('charges nothing on a market the schedule does not cover', () => {
    const uncovered = schedules.ids().find((id) => !schedules.forMarket(id, 'NASDAQ'));
    expect(uncovered).toBeDefined();
    expect(scheduleCharges(schedules, uncovered!)({ symbol: 'AAPL', exchange: 'NASDAQ', side: 'buy', quantity: 10, price: 190_00 })).toBe(0);
  });
});
