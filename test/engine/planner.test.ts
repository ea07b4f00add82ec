import { describe, expect, it } from 'vitest';
import type { Holding, Position } from '../../src/domain/account.js';
import { instrumentKey, type Instrument, type Quote } from '../../src/domain/instrument.js';
import type { AccountSnapshot } from '../../src/domain/plan.js';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { planRebalance, type PlanOptions } from '../../src/engine/planner/plan-rebalance.js';

function instrument(symbol: string, lotSize = 1, tickSize = 5): Instrument {
  return { symbol, exchange: 'NSE', name: symbol, currency: 'INR', tickSize, lotSize };
}

function quote(symbol: string, last: number, spread = 10): Quote {
  return { symbol, exchange: 'NSE', bid: last - spread / 2, ask: last + spread / 2, last, volume: 0, ts: 0 };
}

function snapshot(opts: { cash: number; holdings?: Holding[]; positions?: Position[]; kiteStyle?: boolean; prices: Record<string, number>; lots?: Record<string, number> }): AccountSnapshot {
  const instruments = new Map<ReturnType<typeof instrumentKey>, Instrument>();
  const quotes = new Map<ReturnType<typeof instrumentKey>, Quote>();
  for (const [symbol, price] of Object.entries(opts.prices)) {
    instruments.set(instrumentKey('NSE', symbol), instrument(symbol, opts.lots?.[symbol] ?? 1));
    quotes.set(instrumentKey('NSE', symbol), quote(symbol, price));
  }
  return {
    broker: 'paper',
    account: 'T',
    takenAt: 0,
    funds: { currency: 'INR', available: opts.cash, used: 0 },
    holdings: opts.holdings ?? [],
    positions: opts.positions ?? [],
    holdingsIncludeTodaysTrades: !opts.kiteStyle,
    instruments,
    quotes,
    simulatedMarket: true,
  };
}

const options: PlanOptions = { defaultExecution: { algo: 'market', orderType: 'market', params: {} } };
const holding = (symbol: string, quantity: number, t1Quantity = 0): Holding => ({ symbol, exchange: 'NSE', quantity, t1Quantity, averagePrice: 100_00 });
const delivery = (symbol: string, quantity: number, averagePrice = 100_00): Position => ({ symbol, exchange: 'NSE', quantity, averagePrice, product: 'delivery' });

describe('planner', () => {
  it('computes target − current with T+1 quantity counted as owned, sells before buys', () => {
    const target = parseTargetPortfolio('symbol,target_quantity\nTCS,10\nINFY,5\nITC,40', 't.csv');
    const snap = snapshot({ cash: 10_000_000, prices: { TCS: 350000, INFY: 150000, ITC: 40000 }, holdings: [holding('INFY', 10, 5), holding('ITC', 40)] });
    const plan = planRebalance(target, snap, options);
    expect(plan.legs.map((l) => [l.index, l.symbol, l.side, l.quantity, l.current, l.target])).toEqual([
      [0, 'INFY', 'sell', 10, 15, 5],
      [1, 'TCS', 'buy', 10, 0, 10],
    ]);
    expect(plan.skipped).toEqual([{ symbol: 'ITC', exchange: 'NSE', reason: 'already at target' }]);
    expect(plan.legs[1]).toMatchObject({ estimatedPrice: 350005, estimatedValue: 3500050, decisionPrice: 350000 });
    expect(plan.legs[0]).toMatchObject({ estimatedPrice: 149995 });
  });

  it('rounds deltas down to whole lots and says so', () => {
    const target = parseTargetPortfolio('symbol,target_quantity\nNIFTYETF,130\nSMALL,20', 't.csv');
    const snap = snapshot({ cash: 100_000_000, prices: { NIFTYETF: 25000, SMALL: 10000 }, lots: { NIFTYETF: 50, SMALL: 25 } });
    const plan = planRebalance(target, snap, options);
    expect(plan.legs.map((l) => [l.symbol, l.quantity])).toEqual([['NIFTYETF', 100]]);
    expect(plan.legs[0]!.notes).toContain('rounded to lot size 50');
    expect(plan.skipped[0]).toMatchObject({ symbol: 'SMALL', reason: 'difference of 20 is less than one lot of 25' });
  });

  it('turns weights into quantities of the account value less the cash buffer', () => {
    // Account value: 1,000,000.00 cash + 100 × 1,000.00 = 1,100,000.00; 2% buffer → 1,078,000.00 investable.
    const target = parseTargetPortfolio('{"cash_buffer_pct":2,"positions":[{"symbol":"TCS","weight":0.5},{"symbol":"INFY","weight":0.25}]}', 'w.json');
    const snap = snapshot({ cash: 100_000_000, prices: { TCS: 350000, INFY: 100000 }, holdings: [holding('INFY', 100)] });
    const plan = planRebalance(target, snap, options);
    expect(plan.accountValue).toBe(110_000_000);
    // TCS: floor(0.5 × 1,078,000 / 3,500) = 154; INFY: floor(0.25 × 1,078,000 / 1,000) = 269 → buy 169.
    expect(plan.legs.map((l) => [l.symbol, l.side, l.target, l.quantity])).toEqual([
      ['INFY', 'buy', 269, 169],
      ['TCS', 'buy', 154, 154],
    ]);
  });

  it('scales buys down to the cash the sells free, keeping the buffer, and never overspends', () => {
    const target = parseTargetPortfolio('symbol,target_quantity\nTCS,100\nINFY,100\nITC,0', 't.csv');
    // Cash 100,000.00; selling 100 ITC at bid 399.95 frees 39,995.00 → 139,995.00 for 450,010.00 of buys.
    const snap = snapshot({ cash: 10_000_000, prices: { TCS: 350000, INFY: 100000, ITC: 40000 }, holdings: [holding('ITC', 100)] });
    const plan = planRebalance(target, snap, { ...options, estimateCharges: (_s, _i, q, p) => Math.round(q * p * 0.001) });
    const buys = plan.legs.filter((l) => l.side === 'buy');
    const spend = buys.reduce((s, l) => s + l.estimatedValue + Math.round(l.quantity * l.estimatedPrice * 0.001), 0);
    const sellProceeds = 100 * 39995 - Math.round(100 * 39995 * 0.001);
    expect(spend).toBeLessThanOrEqual(10_000_000 + sellProceeds);
    expect(buys.map((l) => l.symbol)).toEqual(['INFY', 'TCS']);
    expect(buys.every((l) => l.notes.some((n) => n.startsWith('scaled from 100')))).toBe(true);
    expect(plan.notes.join(' ')).toMatch(/buys scaled down to fit/);
    expect(plan.legs[0]).toMatchObject({ symbol: 'ITC', side: 'sell', index: 0 });
    expect(plan.estimatedCashAfter).toBeGreaterThanOrEqual(0);
  });

  it('shows each leg\'s estimated charges; the cash estimate counts charges but not the market-buy headroom', () => {
    const target = parseTargetPortfolio('symbol,target_quantity\nTCS,10\nITC,0', 't.csv');
    const snap = snapshot({ cash: 10_000_000, prices: { TCS: 350000, ITC: 40000 }, holdings: [holding('ITC', 100)] });
    const plan = planRebalance(target, snap, { ...options, estimateCharges: (_s, _i, q, p) => Math.round(q * p * 0.001) });
    expect(plan.legs.map((l) => [l.symbol, l.estimatedCharges])).toEqual([
      ['ITC', Math.round(100 * 39995 * 0.001)],
      ['TCS', Math.round(10 * 350005 * 0.001)],
    ]);
    const expected = 10_000_000 + (100 * 39995 - Math.round(100 * 39995 * 0.001)) - (10 * 350005 + Math.round(10 * 350005 * 0.001));
    expect(plan.estimatedCashAfter).toBe(expected);
  });

  it('leaves unlisted holdings alone unless asked to liquidate them', () => {
    const target = parseTargetPortfolio('symbol,target_quantity\nTCS,1', 't.csv');
    const snap = snapshot({ cash: 10_000_000, prices: { TCS: 350000, ITC: 40000 }, holdings: [holding('ITC', 30, 10)] });
    expect(planRebalance(target, snap, options).skipped).toEqual([{ symbol: 'ITC', exchange: 'NSE', reason: expect.stringMatching(/left as is/) }]);
    const plan = planRebalance(target, snap, { ...options, liquidateUnlisted: true });
    expect(plan.legs.find((l) => l.symbol === 'ITC')).toMatchObject({ side: 'sell', quantity: 40, target: 0 });
  });

  it('counts today\'s delivery trades the broker shows only as positions (Kite): no re-buy, no over-sell, no double count', () => {
    const prices = { TCS: 350000, INFY: 150000, ITC: 40000 };
    // Earlier today: bought 10 INFY (holdings still say 15) and 5 ITC (not in holdings at all),
    // sold 4 of the 20 TCS held; 3 INFY bought intraday (MIS) are not holdings.
    const positions: Position[] = [delivery('INFY', 10), delivery('ITC', 5), delivery('TCS', -4), { ...delivery('INFY', 3), product: 'intraday' }];
    const kite = snapshot({ cash: 10_000_000, prices, kiteStyle: true, holdings: [holding('INFY', 10, 5), holding('TCS', 20)], positions });
    const target = parseTargetPortfolio('symbol,target_quantity\nINFY,25\nTCS,10', 't.csv');
    const plan = planRebalance(target, kite, options);
    expect(plan.legs.map((l) => [l.symbol, l.side, l.quantity, l.current])).toEqual([['TCS', 'sell', 6, 16]]);
    expect(plan.skipped).toEqual([
      { symbol: 'ITC', exchange: 'NSE', reason: expect.stringMatching(/held but not in the target/) },
      { symbol: 'INFY', exchange: 'NSE', reason: 'already at target' },
    ]);
    // The account value counts what is owned now: 25 INFY, 16 TCS, 5 ITC.
    expect(plan.accountValue).toBe(10_000_000 + 25 * 150000 + 16 * 350000 + 5 * 40000);
    // Bought today and not in the target: --liquidate-unlisted sells it.
    expect(planRebalance(target, kite, { ...options, liquidateUnlisted: true }).legs.find((l) => l.symbol === 'ITC')).toMatchObject({ side: 'sell', quantity: 5, current: 5 });
    // Where the holdings already include today's trades (paper), the same positions add nothing.
    const paper = snapshot({ cash: 10_000_000, prices, holdings: [holding('INFY', 10, 15), holding('TCS', 16)], positions });
    expect(planRebalance(target, paper, options).legs.map((l) => [l.symbol, l.side, l.quantity, l.current])).toEqual([['TCS', 'sell', 6, 16]]);
  });

  it('applies the no-trade band and the minimum trade value', () => {
    const target = parseTargetPortfolio('symbol,target_quantity\nTCS,1\nINFY,50', 't.csv');
    const snap = snapshot({ cash: 100_000_000, prices: { TCS: 350000, INFY: 100000 } });
    expect(planRebalance(target, snap, { ...options, minTradeValue: 1_000_000 }).legs.map((l) => l.symbol)).toEqual(['INFY']);
    // TCS is 3,500 of 1,000,000 = 0.35% of the account: inside a 0.5% band.
    const banded = planRebalance(target, snap, { ...options, bandPct: 0.5 });
    expect(banded.legs.map((l) => l.symbol)).toEqual(['INFY']);
    expect(banded.skipped[0]!.reason).toMatch(/no-trade band/);
  });

  it('uses the line\'s limit price for the estimate and switches a market default to limit', () => {
    const target = parseTargetPortfolio('{"positions":[{"symbol":"TCS","quantity":2,"limit_price":3490.5}]}', 'l.json');
    const plan = planRebalance(target, snapshot({ cash: 100_000_000, prices: { TCS: 350000 } }), options);
    expect(plan.legs[0]).toMatchObject({ limitPrice: 349050, estimatedPrice: 349050, execution: { algo: 'limit', orderType: 'limit' } });
  });

  it('is deterministic: the same inputs give the same plan', () => {
    const target = parseTargetPortfolio('symbol,weight\nTCS,0.3\nINFY,0.3\nITC,0.3', 't.csv');
    const snap = snapshot({ cash: 55_555_555, prices: { TCS: 350000, INFY: 150000, ITC: 40000 } });
    expect(planRebalance(target, snap, options)).toEqual(planRebalance(target, snap, options));
  });
});
