import { describe, expect, it } from 'vitest';
import { accountTarget } from '../../src/app/group/account-targets.js';
import { consolidatedSnapshot, sellableShares } from '../../src/app/group/consolidate.js';
import { instrumentKey, type Instrument, type Quote } from '../../src/domain/instrument.js';
import type { AccountSnapshot } from '../../src/domain/plan.js';
import { planRebalance } from '../../src/engine/planner/plan-rebalance.js';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';

const TCS: Instrument = { symbol: 'TCS', exchange: 'NSE', name: 'TCS', currency: 'INR', tickSize: 5, lotSize: 1 };
const INFY: Instrument = { symbol: 'INFY', exchange: 'NSE', name: 'INFY', currency: 'INR', tickSize: 5, lotSize: 1 };
const quote = (i: Instrument, last: number): Quote => ({ symbol: i.symbol, exchange: i.exchange, bid: last - 5, ask: last + 5, last, volume: 1_000_000, ts: 0 });

function snapshot(account: string, cash: number, holdings: AccountSnapshot['holdings'], options: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    broker: 'paper',
    account,
    takenAt: 1,
    funds: { currency: 'INR', available: cash, used: 0 },
    holdings,
    positions: [],
    holdingsIncludeTodaysTrades: true,
    simulatedMarket: true,
    instruments: new Map([TCS, INFY].map((i) => [instrumentKey(i.exchange, i.symbol), i])),
    quotes: new Map([quote(TCS, 300_000), quote(INFY, 150_000)].map((q) => [instrumentKey(q.exchange, q.symbol), q])),
    ...options,
  };
}

describe('the group as one account', () => {
  it('weights apply to the group\'s consolidated value: cash and holdings summed over the accounts', () => {
    const a = snapshot('A', 600_000_00, [{ symbol: 'TCS', exchange: 'NSE', quantity: 100, t1Quantity: 0, averagePrice: 290_000 }]);
    const b = snapshot('B', 400_000_00, [{ symbol: 'INFY', exchange: 'NSE', quantity: 200, t1Quantity: 0, averagePrice: 140_000 }]);
    const group = consolidatedSnapshot([{ alias: 'a', snapshot: a }, { alias: 'b', snapshot: b }]);
    expect(group.funds.available).toBe(1_000_000_00);
    // ₹10,00,000 cash + 100 TCS × ₹3,000 + 200 INFY × ₹1,500 = ₹16,00,000; half of it in TCS is 266 shares.
    const plan = planRebalance(parseTargetPortfolio('symbol,weight\nTCS,0.5\n', 't.csv'), group, { defaultExecution: { algo: 'market', orderType: 'market', params: {} }, marketBuyHeadroomPct: 0 });
    const tcs = plan.legs.find((l) => l.symbol === 'TCS')!;
    expect(plan.accountValue).toBe(1_600_000_00);
    expect(tcs.current).toBe(100);
    expect(Math.abs(tcs.target * 300_000 - 0.5 * 1_600_000_00)).toBeLessThanOrEqual(300_005);
  });

  it('reads each account its own broker\'s way: Kite\'s today\'s buys are positions, and only settled shares are sellable', () => {
    const kite = snapshot('K', 0, [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000 }], {
      holdingsIncludeTodaysTrades: false,
      positions: [{ symbol: 'INFY', exchange: 'NSE', quantity: 7, averagePrice: 150_000, product: 'delivery' }],
    });
    const group = consolidatedSnapshot([{ alias: 'kite', snapshot: kite }]);
    expect(group.holdings).toEqual([expect.objectContaining({ symbol: 'INFY', quantity: 10, t1Quantity: 12 })]);
    expect(sellableShares(kite).get('INFY@NSE')).toBe(10);
    const sold = snapshot('K', 0, [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 0, averagePrice: 140_000 }], { holdingsIncludeTodaysTrades: false, positions: [{ symbol: 'INFY', exchange: 'NSE', quantity: -4, averagePrice: 150_000, product: 'delivery' }] });
    expect(sellableShares(sold).get('INFY@NSE')).toBe(6);
  });

  it('an account\'s routed legs become its own target of quantities: what it owns plus its buys, less its sells, nothing else', () => {
    const a = snapshot('A', 0, [{ symbol: 'TCS', exchange: 'NSE', quantity: 100, t1Quantity: 0, averagePrice: 290_000 }]);
    const groupTarget = parseTargetPortfolio('symbol,weight,algo\nTCS,0.1,twap\nINFY,0.2,\n', 't.csv');
    const t = accountTarget(groupTarget, a, [
      { alias: 'a', symbol: 'TCS', exchange: 'NSE', side: 'sell', quantity: 40, why: 'holds it' },
      { alias: 'a', symbol: 'INFY', exchange: 'NSE', side: 'buy', quantity: 15, why: 'cash' },
    ], 'g1');
    expect(t.target.positions.map((p) => [p.symbol, p.amount, p.algo])).toEqual([
      ['TCS', { kind: 'quantity', quantity: 60 }, 'twap'],
      ['INFY', { kind: 'quantity', quantity: 15 }, undefined],
    ]);
    expect(t.target.cashBufferPct).toBe(0);
  });
});
