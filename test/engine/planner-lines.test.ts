import { describe, expect, it } from 'vitest';
import type { Holding } from '../../src/domain/account.js';
import { instrumentKey, type Instrument, type Quote } from '../../src/domain/instrument.js';
import type { AccountSnapshot } from '../../src/domain/plan.js';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { TargetParseError } from '../../src/domain/target-portfolio.js';
import { planRebalance, type PlanOptions } from '../../src/engine/planner/plan-rebalance.js';
import { issueText } from '../../src/domain/input-issue.js';

/** RELIANCE last 1500.00, tick 0.05; TCS last 3120.00, tick 0.10; BIGLOT last 500.00, tick 0.05, lot 25. */
function snapshot(holdings: Holding[]): AccountSnapshot {
  const instruments = new Map<ReturnType<typeof instrumentKey>, Instrument>();
  const quotes = new Map<ReturnType<typeof instrumentKey>, Quote>();
  for (const [symbol, last, tickSize, lotSize] of [
    ['RELIANCE', 150_000, 5, 1],
    ['TCS', 312_000, 10, 1],
    ['BIGLOT', 50_000, 5, 25],
  ] as const) {
    instruments.set(instrumentKey('NSE', symbol), { symbol, exchange: 'NSE', name: symbol, currency: 'INR', tickSize, lotSize, volatility: 0.2, adv: 1_000_000 });
    quotes.set(instrumentKey('NSE', symbol), { symbol, exchange: 'NSE', bid: last - tickSize, ask: last + tickSize, last, volume: 0, ts: 0 });
  }
  return { broker: 'paper', account: 'T', takenAt: 0, funds: { currency: 'INR', available: 1_000_000_000, used: 0 }, holdings, holdingsIncludeTodaysTrades: true, instruments, quotes, simulatedMarket: true };
}

const market: PlanOptions = { defaultExecution: { algo: 'market', orderType: 'market', params: {} } };
/** The account already holds 10 RELIANCE, 10 TCS and 25 BIGLOT: a line asking for that has nothing to trade. */
const held: Holding[] = (['RELIANCE', 'TCS', 'BIGLOT'] as const).map((symbol) => ({ symbol, exchange: 'NSE', quantity: symbol === 'BIGLOT' ? 25 : 10, t1Quantity: 0, averagePrice: 100_00 }));

function problems(positions: unknown[], holdings: Holding[] = held, options = market): string[] {
  try {
    planRebalance(parseTargetPortfolio(JSON.stringify({ positions }), 'o.json'), snapshot(holdings), options);
  } catch (err) {
    if (err instanceof TargetParseError) return err.issues.map((i) => issueText(i));
    throw err;
  }
  return [];
}

describe('planner: every line is validated, whatever the account holds', () => {
  it('refuses an unknown algorithm, an unknown parameter and an off-tick limit price on a line already at target', () => {
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, algo: 'nosuch' }])).toEqual([
      'o.json $.positions[0].algo: unknown algorithm "nosuch": use one of market, limit, twap, vwap, pov, is, iceberg',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, algo: 'twap', algo_params: { slice: 10 } }])).toEqual([
      'o.json $.positions[0].algo_params.slice: "slice" is not a parameter of twap: it takes duration, slices, child_type, offset_bps, cleanup, cleanup_bps',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, limit_price: 1500.02 }])).toEqual([
      'o.json $.positions[0].limit_price: limit_price 1500.02 is not on the tick of 0.05 for RELIANCE: use 1500.00 or 1500.05',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, algo: 'twap', algo_params: { slices: 'ten' } }])[0]).toMatch(/^o\.json \$\.positions\[0\]\.algo_params\.slices: slices = "ten" is not a number; use a whole number of slices/);
    // Parameters that need the instrument: one lot of BIGLOT is 25 shares.
    expect(problems([{ symbol: 'BIGLOT', quantity: 25, algo: 'iceberg', algo_params: { display_qty: 10 } }])[0]).toMatch(/\.algo_params\.display_qty: display_qty = 10 is below the lot size 25/);
    // The same lines with something to trade give the same answers.
    expect(problems([{ symbol: 'RELIANCE', quantity: 20, algo: 'nosuch' }], [])).toHaveLength(1);
    expect(problems([{ symbol: 'RELIANCE', quantity: 20, limit_price: 1500.02 }], [])).toHaveLength(1);
  });

  it('names the two nearest prices on the tick for a price with more decimals than the currency, never rounding it', () => {
    expect(problems([{ symbol: 'TCS', quantity: 15, limit_price: 3120.055 }])).toEqual([
      'o.json $.positions[0].limit_price: limit_price 3120.055 is not on the tick of 0.10 for TCS: use 3120.00 or 3120.10',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1500.123 }])).toEqual([
      'o.json $.positions[0].stop_price: stop_price 1500.123 is not on the tick of 0.05 for RELIANCE: use 1500.10 or 1500.15',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, take_profit: 1600.001, stop_loss: 1400 }])[0]).toMatch(/\.take_profit: take_profit 1600.001 is not on the tick of 0.05 for RELIANCE: use 1600.00 or 1600.05/);
  });

  it('refuses misspelt or inapplicable parameters on market, limit, stop and bracket legs', () => {
    expect(problems([{ symbol: 'RELIANCE', quantity: 20, algo_params: { duraton: '2h' } }], [])).toEqual([
      'o.json $.positions[0].algo_params.duraton: "duraton" is not a parameter of market: it takes duration',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1550, algo_params: { offset_bps: 5 } }])).toEqual([
      'o.json $.positions[0].algo_params.offset_bps: "offset_bps" is not a parameter of a stop leg: it takes duration',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, algo: 'limit', limit_price: 1490, algo_params: { offset_bps: 5 } }])[0]).toMatch(
      /\.algo_params\.offset_bps: "offset_bps" is not a parameter of limit with a limit_price: it takes duration/,
    );
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, take_profit: 1600, stop_loss: 1400, algo_params: { slices: 5 } }])[0]).toMatch(/"slices" is not a parameter of a market\+bracket leg: it takes duration/);
    // offset_bps prices a limit entry at the touch.
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, algo: 'limit', algo_params: { offset_bps: 5, duration: '1h' } }])).toEqual([]);
  });

  it('refuses a bad or too long duration on any leg, naming the format and the bound', () => {
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1550, algo_params: { duration: 'NaN' } }])).toEqual([
      'o.json $.positions[0].algo_params.duration: duration = "NaN" is not a duration; write it with a unit: 90s, 30m, 1h or 2h30m (at most 24h)',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 20, algo: 'twap', algo_params: { duration: '99999h' } }], [])).toEqual([
      'o.json $.positions[0].algo_params.duration: duration = "99999h" is longer than 24h, the longest a leg may work; write it with a unit: 90s, 30m, 1h or 2h30m (at most 24h)',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, algo: 'pov', algo_params: { rate: 0.1, duration: '24h' } }])).toEqual([]);
  });

  it('checks run-wide parameters on every line that uses them, and still lets other algorithms ignore them', () => {
    const pov: PlanOptions = { defaultExecution: { algo: 'pov', orderType: 'limit', params: { slices: 10 } } };
    expect(problems([{ symbol: 'RELIANCE', quantity: 10 }], held, pov)).toEqual([
      'o.json $.positions[0].algo: pov parameter "rate" is required; give the participation rate as a fraction between 0 and 1, e.g. rate=0.1 for 10%',
    ]);
    const twap: PlanOptions = { defaultExecution: { algo: 'twap', orderType: 'limit', params: { slices: 10, rate: 0.2 } } };
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, algo: 'iceberg', algo_params: { display_qty: 5 } }, { symbol: 'TCS', quantity: 20 }], held, twap)).toEqual([]);
  });

  it('lists the problems of every line at once, in file order', () => {
    const found = problems([
      { symbol: 'RELIANCE', quantity: 10, algo: 'nosuch' },
      { symbol: 'TCS', quantity: 30, order_type: 'stop', stop_price: 3000 },
      { symbol: 'BIGLOT', quantity: 25, limit_price: 500.01 },
    ]);
    expect(found.map((f) => f.slice(0, f.indexOf(': ')))).toEqual(['o.json $.positions[0].algo', 'o.json $.positions[1].stop_price', 'o.json $.positions[2].limit_price']);
  });
});
