import { describe, expect, it } from 'vitest';
import type { Holding } from '../../src/domain/account.js';
import { instrumentKey, type Instrument, type Quote } from '../../src/domain/instrument.js';
import type { AccountSnapshot } from '../../src/domain/plan.js';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { TargetParseError } from '../../src/domain/target-portfolio.js';
import { unsupportedOrderProblems } from '../../src/engine/planner/order-support.js';
import { planRebalance, type PlanOptions } from '../../src/engine/planner/plan-rebalance.js';
import { issueText } from '../../src/domain/input-issue.js';

/** RELIANCE last 1500.00 (bid 1499.95, ask 1500.05), tick 0.05; ITC last 400.00, tick 0.05. */
function snapshot(holdings: Holding[] = []): AccountSnapshot {
  const instruments = new Map<ReturnType<typeof instrumentKey>, Instrument>();
  const quotes = new Map<ReturnType<typeof instrumentKey>, Quote>();
  for (const [symbol, last] of [
    ['RELIANCE', 150_000],
    ['ITC', 40_000],
  ] as const) {
    instruments.set(instrumentKey('NSE', symbol), { symbol, exchange: 'NSE', name: symbol, currency: 'INR', tickSize: 5, lotSize: 1 });
    quotes.set(instrumentKey('NSE', symbol), { symbol, exchange: 'NSE', bid: last - 5, ask: last + 5, last, volume: 0, ts: 0 });
  }
  return { broker: 'paper', account: 'T', takenAt: 0, funds: { currency: 'INR', available: 1_000_000_000, used: 0 }, holdings, holdingsIncludeTodaysTrades: true, instruments, quotes, simulatedMarket: true };
}

const twap: PlanOptions = { defaultExecution: { algo: 'twap', orderType: 'limit', params: { duration: '30m', slices: 10 } } };
const holding = (symbol: string, quantity: number): Holding => ({ symbol, exchange: 'NSE', quantity, t1Quantity: 0, averagePrice: 100_00 });
const plan = (positions: unknown[], holdings: Holding[] = [], options = twap) => planRebalance(parseTargetPortfolio(JSON.stringify({ positions }), 'o.json'), snapshot(holdings), options);

function problems(positions: unknown[], holdings: Holding[] = []): string[] {
  try {
    plan(positions, holdings);
  } catch (err) {
    if (err instanceof TargetParseError) return err.issues.map((i) => issueText(i));
    throw err;
  }
  throw new Error('expected the plan to be refused');
}

describe('planner: legs that name their order', () => {
  it('sends a stop leg as one market-semantics order at its trigger, keeping only the horizon of the run algorithm', () => {
    const p = plan([{ symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1520 }]);
    expect(p.legs[0]!.execution).toEqual({ algo: 'market', orderType: 'stop', triggerPrice: 152_000, params: { duration: '30m' } });
    expect(p.legs[0]).toMatchObject({ side: 'buy', estimatedPrice: 152_000, estimatedValue: 1_520_000 });
    expect(p.legs[0]!.notes).toContain("sent as one order (its order_type or exits): the run's algorithm twap does not apply");
  });

  it('sends a stop-limit with limit semantics and values it at its limit', () => {
    const p = plan([{ symbol: 'RELIANCE', quantity: 0, order_type: 'stop_limit', stop_price: 1480, limit_price: 1475 }], [holding('RELIANCE', 30)]);
    expect(p.legs[0]).toMatchObject({ side: 'sell', quantity: 30, limitPrice: 147_500, estimatedPrice: 147_500 });
    expect(p.legs[0]!.execution).toMatchObject({ algo: 'limit', orderType: 'stop_limit', triggerPrice: 148_000, limitPrice: 147_500 });
  });

  it('makes a buy with take_profit and stop_loss a bracket on a market entry, or a limit entry with a limit price', () => {
    const p = plan([
      { symbol: 'RELIANCE', quantity: 10, take_profit: 1600, stop_loss: 1450, stop_loss_limit: 1440 },
      { symbol: 'ITC', quantity: 100, limit_price: 399.5, take_profit: 420, stop_loss: 380 },
    ]);
    const [itc, reliance] = p.legs;
    expect(reliance!.execution).toMatchObject({ algo: 'market', orderType: 'market', orderClass: 'bracket', takeProfit: { limitPrice: 160_000 }, stopLoss: { triggerPrice: 145_000, limitPrice: 144_000 } });
    expect(reliance!.estimatedPrice).toBe(150_005);
    expect(itc!.execution).toMatchObject({ algo: 'limit', orderType: 'limit', limitPrice: 39_950, orderClass: 'bracket' });
  });

  it('exits a holding with an OCO pair valued at its stop-loss', () => {
    const p = plan([{ symbol: 'RELIANCE', quantity: 0, order_type: 'oco', take_profit: 1600, stop_loss: 1400 }], [holding('RELIANCE', 50)]);
    expect(p.legs[0]).toMatchObject({ side: 'sell', quantity: 50, estimatedPrice: 140_000 });
    expect(p.legs[0]!.execution).toMatchObject({ algo: 'market', orderType: 'limit', orderClass: 'oco', takeProfit: { limitPrice: 160_000 }, stopLoss: { triggerPrice: 140_000 } });
  });

  it('leaves lines without order fields to the run algorithm', () => {
    expect(plan([{ symbol: 'RELIANCE', quantity: 10 }]).legs[0]!.execution).toEqual({ algo: 'twap', orderType: 'limit', params: { duration: '30m', slices: 10 } });
  });

  it('refuses stops on the wrong side of the market, naming the JSON path, the side and the fix', () => {
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1490 }])).toEqual([
      'o.json $.positions[0].stop_price: the leg buys 10 (holding 0, target 10): a buy stop triggers when the price rises to stop_price, so 1490.00 must be above the last price 1500.00 (at or below it, it would trigger at once)',
    ]);
    expect(problems([{ symbol: 'RELIANCE', quantity: 0, order_type: 'stop', stop_price: 1510 }], [holding('RELIANCE', 5)])[0]).toMatch(/the leg sells 5 .*a sell stop triggers when the price falls to stop_price, so 1510.00 must be below the last price 1500.00/);
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, order_type: 'stop_limit', stop_price: 1520, limit_price: 1510 }])[0]).toMatch(/\.limit_price: a buy stop-limit's limit_price 1510.00 is below its stop_price 1520.00/);
  });

  it('refuses prices off the tick with the two nearest prices on it', () => {
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1520.02 }])).toEqual([
      'o.json $.positions[0].stop_price: stop_price 1520.02 is not on the tick of 0.05 for RELIANCE: use 1520.00 or 1520.05',
    ]);
  });

  it('refuses bracket exits that do not straddle the entry, and brackets on sells', () => {
    expect(problems([{ symbol: 'RELIANCE', quantity: 10, take_profit: 1490, stop_loss: 1450 }])).toEqual([
      'o.json $.positions[0].take_profit: a bracket on a buy takes profit by selling above the last price 1500.00: take_profit 1490.00 must be above it',
    ]);
    expect(problems([{ symbol: 'ITC', quantity: 10, limit_price: 390, take_profit: 420, stop_loss: 395 }])[0]).toMatch(/stop_loss: .*selling below the entry limit_price 390.00: stop_loss 395.00 must be below it/);
    expect(problems([{ symbol: 'RELIANCE', quantity: 0, take_profit: 1600, stop_loss: 1400 }], [holding('RELIANCE', 5)])[0]).toMatch(/the leg sells 5 .*to sell with a take-profit and a stop-loss, make the leg order_type oco/);
    expect(problems([{ symbol: 'RELIANCE', quantity: 0, order_type: 'oco', take_profit: 1400, stop_loss: 1600 }], [holding('RELIANCE', 5)])).toHaveLength(2);
  });

  it('lists the problems of every line at once', () => {
    const found = problems([
      { symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1400 },
      { symbol: 'ITC', quantity: 10, take_profit: 300, stop_loss: 350 },
    ]);
    expect(found.map((f) => f.slice(0, f.indexOf(': ')))).toEqual(['o.json $.positions[0].stop_price', 'o.json $.positions[1].take_profit']);
  });

  it('says which legs a broker cannot take', () => {
    const p = plan([
      { symbol: 'RELIANCE', quantity: 10, take_profit: 1600, stop_loss: 1450 },
      { symbol: 'ITC', quantity: 10, order_type: 'stop', stop_price: 410 },
    ]);
    const kite = { id: 'zerodha', capabilities: { orderTypes: ['market', 'limit', 'stop', 'stop_limit'] as const } };
    expect(unsupportedOrderProblems(p.legs, kite)).toEqual([
      'leg 1 (NSE:RELIANCE): zerodha does not run bracket orders (take_profit and stop_loss); remove them from the line, or trade on a broker that does (paper and alpaca run both)',
    ]);
    const buyingOco = plan([{ symbol: 'ITC', quantity: 10, order_type: 'oco', take_profit: 390, stop_loss: 420 }]);
    const sellingOco = plan([{ symbol: 'ITC', quantity: 0, order_type: 'oco', take_profit: 420, stop_loss: 390 }], [holding('ITC', 10)]);
    const sellsOnly = { id: 'alpaca', capabilities: { orderTypes: ['market', 'limit'] as const, orderClasses: ['bracket', 'oco'] as const, ocoSides: ['sell'] as const } };
    expect(unsupportedOrderProblems(buyingOco.legs, sellsOnly)).toEqual(['leg 0 (NSE:ITC): alpaca runs an OCO only to sell (to exit a position), and this leg would buy; remove order_type oco from the line']);
    expect(unsupportedOrderProblems(sellingOco.legs, sellsOnly)).toEqual([]);
    expect(unsupportedOrderProblems(p.legs, { id: 'x', capabilities: { orderTypes: ['market', 'limit'], orderClasses: ['bracket', 'oco'] } })).toEqual([
      'leg 0 (NSE:ITC): x does not take stop orders; use one of market, limit',
    ]);
  });

  it('sends a trailing stop as one order with its trail, refuses one off the tick, and a broker that does not run it', () => {
    const p = plan([
      { symbol: 'RELIANCE', quantity: 0, order_type: 'trailing_stop', trail_percent: 2.5 },
      { symbol: 'ITC', quantity: 0, order_type: 'trailing_stop', trail_price: 4.5 },
    ], [holding('RELIANCE', 30), holding('ITC', 20)]);
    const [itc, reliance] = p.legs;
    expect(reliance!.execution).toEqual({ algo: 'market', orderType: 'trailing_stop', trail: { percent: 2.5 }, params: { duration: '30m' } });
    expect(itc!.execution).toMatchObject({ orderType: 'trailing_stop', trail: { price: 450 } });
    expect(problems([{ symbol: 'ITC', quantity: 0, order_type: 'trailing_stop', trail_price: 4.53 }], [holding('ITC', 20)])).toEqual(['o.json $.positions[0].trail_price: trail_price 4.53 is not on the tick of 0.05 for ITC: use 4.50 or 4.55']);
    expect(problems([{ symbol: 'ITC', quantity: 0, order_type: 'trailing_stop', trail_price: 400 }], [holding('ITC', 20)])[0]).toMatch(/trail_price: the trail is wider than the last price 400\.00/);
    const kite = { id: 'zerodha', capabilities: { orderTypes: ['market', 'limit', 'stop', 'stop_limit'] as const } };
    expect(unsupportedOrderProblems(p.legs, kite)).toEqual([
      'leg 0 (NSE:ITC): zerodha does not take trailing-stop orders; use one of market, limit, stop, stop_limit',
      'leg 1 (NSE:RELIANCE): zerodha does not take trailing-stop orders; use one of market, limit, stop, stop_limit',
    ]);
  });

  it('refuses an iceberg that leaves the hidden part to a broker without disclosed quantities, before anything is sent', () => {
    const native: PlanOptions = { defaultExecution: { algo: 'iceberg', orderType: 'limit', params: { display_qty: 5, native: true } } };
    const refilled: PlanOptions = { defaultExecution: { algo: 'iceberg', orderType: 'limit', params: { display_qty: 5, native: false } } };
    const groww = { id: 'groww', capabilities: { orderTypes: ['market', 'limit', 'stop', 'stop_limit'] as const, nativeIceberg: false } };
    expect(unsupportedOrderProblems(plan([{ symbol: 'ITC', quantity: 20 }], [], native).legs, groww)).toEqual([
      'leg 0 (NSE:ITC): groww does not show part of an order at a time (iceberg native=true); use native=false, which refills from ptexec',
    ]);
    expect(unsupportedOrderProblems(plan([{ symbol: 'ITC', quantity: 20 }], [], refilled).legs, groww)).toEqual([]);
    expect(unsupportedOrderProblems(plan([{ symbol: 'ITC', quantity: 20 }], [], native).legs, { ...groww, capabilities: { ...groww.capabilities, nativeIceberg: true } })).toEqual([]);
  });
});
