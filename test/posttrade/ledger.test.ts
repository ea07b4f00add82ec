import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FifoLedger, unrealised, type LedgerTrade } from '../../src/engine/ledger/fifo-ledger.js';

function t(side: 'buy' | 'sell', quantity: number, price: number, charges: number, tradeId = `${side}${quantity}@${price}`): LedgerTrade {
  return { account: 'A', symbol: 'X', exchange: 'NSE', side, quantity, price, charges, ts: 0, tradeDate: '2025-01-10', runId: 'r', tradeId };
}

describe('FIFO ledger (hand-computed, minor units)', () => {
  it('sells the oldest lots first; charges are in cost and off proceeds', () => {
    const ledger = new FifoLedger();
    ledger.apply(t('buy', 10, 100, 5)); // lot 1: cost 1005
    ledger.apply(t('buy', 10, 110, 5)); // lot 2: cost 1105
    ledger.apply(t('sell', 15, 120, 9)); // proceeds 1800 − 9 = 1791
    // cost of what was sold: lot 1 (1005) + half of lot 2 (1105·5/10 = 552) = 1557 → realised 234
    expect(ledger.realisations.map((r) => r.pnl)).toEqual([234]);
    const [p] = ledger.positions();
    expect(p).toMatchObject({ quantity: 5, cost: 553, realised: 234, charges: 19 });
    expect(p!.averageCost).toBeCloseTo(110.6, 10);
    expect(unrealised(p!, 130)).toBe(97); // 5·130 − 553
  });

  it('a sale beyond the lots opens a short lot, closed by a later buy', () => {
    const ledger = new FifoLedger();
    ledger.apply(t('sell', 10, 100, 2)); // short: received 998
    expect(ledger.positions()[0]).toMatchObject({ quantity: -10, cost: -998 });
    expect(unrealised(ledger.positions()[0]!, 95)).toBe(48); // −950 + 998
    ledger.apply(t('buy', 10, 90, 2)); // paid 902
    expect(ledger.realisations.map((r) => r.pnl)).toEqual([96]);
    expect(ledger.positions()[0]).toMatchObject({ quantity: 0, cost: 0, realised: 96 });
  });

  it('opening positions (from a snapshot) are the first lots', () => {
    const ledger = new FifoLedger();
    ledger.open({ account: 'A', symbol: 'X', exchange: 'NSE', quantity: 10, cost: 900 });
    ledger.apply(t('sell', 5, 100, 0));
    expect(ledger.realisations[0]!.pnl).toBe(50); // 500 − 450
  });

  it('balances to the unit: Σ realised = open cost − opening cost + Σ sells − Σ buys − Σ charges', () => {
    const trade = fc.record({ side: fc.constantFrom('buy' as const, 'sell' as const), quantity: fc.integer({ min: 1, max: 5_000 }), price: fc.integer({ min: 1, max: 5_000_00 }), charges: fc.integer({ min: 0, max: 50_00 }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.array(trade, { maxLength: 40 }), (openQty, openCost, trades) => {
        const ledger = new FifoLedger();
        ledger.open({ account: 'A', symbol: 'X', exchange: 'NSE', quantity: openQty, cost: openQty ? openCost : 0 });
        let flows = 0;
        let qty = openQty;
        for (const [i, x] of trades.entries()) {
          ledger.apply(t(x.side, x.quantity, x.price, x.charges, String(i)));
          flows += (x.side === 'sell' ? 1 : -1) * x.quantity * x.price - x.charges;
          qty += x.side === 'buy' ? x.quantity : -x.quantity;
        }
        const [p] = ledger.positions();
        const realised = ledger.realisations.reduce((a, r) => a + r.pnl, 0);
        const open = p?.cost ?? 0;
        expect(realised).toBe(open - (openQty ? openCost : 0) + flows);
        expect(p?.quantity ?? 0).toBe(qty);
        expect(p?.realised ?? 0).toBe(realised);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
