import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseOrder, analyseOrders } from '../../src/engine/tca/analyse.js';
import { compareLegs } from '../../src/engine/tca/compare.js';
import { parseTcaCsv, parseTcaJson, TcaInputError } from '../../src/engine/tca/input-file.js';
import { MarketSeries } from '../../src/engine/tca/market-series.js';
import { legsOfRun } from '../../src/engine/tca/run-orders.js';
import type { MarketSample, TcaOrder } from '../../src/engine/tca/types.js';

const S = 1000;

describe('implementation shortfall, worked by hand (minor units)', () => {
  it('complete buy: delay, trading and charges; no opportunity cost', () => {
    const leg = analyseOrder({
      id: 'infy',
      symbol: 'INFY',
      side: 'buy',
      quantity: 1000,
      decisionPrice: 150_000,
      arrivalPrice: 150_120,
      endPrice: 150_840,
      fills: [
        { quantity: 400, price: 150_250, charges: 72_140 },
        { quantity: 600, price: 150_500, charges: 108_305 },
      ],
    });
    // P̄ = (400·150250 + 600·150500)/1000 = 150400
    expect(leg.averagePrice).toBe(150_400);
    // delay = +1·1000·(150120 − 150000) = 120000
    expect(leg.shortfall.delay).toBe(120_000);
    // trading = +1·1000·(150400 − 150120) = 280000
    expect(leg.shortfall.trading).toBe(280_000);
    // opportunity = +1·0·(…) = 0
    expect(leg.shortfall.opportunity).toBe(0);
    expect(leg.shortfall.charges).toBe(180_445);
    expect(leg.shortfall.total).toBe(580_445);
    // bps of the paper value S·P_d = 150,000,000: 580445/150e6·1e4 = 38.6963…
    expect(leg.paperValue).toBe(150_000_000);
    expect(leg.shortfallBps.total).toBeCloseTo(38.6963, 4);
    expect(leg.shortfallBps.delay).toBeCloseTo(8, 10);
    // slippage vs arrival = (150400 − 150120)/150120·1e4 = 18.6517…
    expect(leg.slippageBps.arrival).toBeCloseTo(18.6517, 4);
    expect(leg.slippageBps.decision).toBeCloseTo(26.6667, 4);
    expect(leg.fillRate).toBe(1);
  });

  it('partial sell: the unfilled part costs what the price moved against it after arrival', () => {
    const leg = analyseOrder({
      id: 'tcs',
      symbol: 'TCS',
      side: 'sell',
      quantity: 200,
      decisionPrice: 410_000,
      arrivalPrice: 409_500,
      endPrice: 408_000,
      fills: [{ quantity: 150, price: 409_100, charges: 66_295 }],
    });
    // s = −1. delay = −1·200·(409500 − 410000) = 100000
    expect(leg.shortfall.delay).toBe(100_000);
    // trading = −1·150·(409100 − 409500) = 60000
    expect(leg.shortfall.trading).toBe(60_000);
    // opportunity = −1·(200 − 150)·(408000 − 409500) = 75000
    expect(leg.shortfall.opportunity).toBe(75_000);
    expect(leg.shortfall.total).toBe(301_295);
    expect(leg.shortfallBps.total).toBeCloseTo((301_295 / 82_000_000) * 10_000, 10);
    expect(leg.fillRate).toBe(0.75);
    // sell slippage vs arrival = −1·(409100 − 409500)/409500·1e4 = +9.768 (a cost)
    expect(leg.slippageBps.arrival).toBeCloseTo(9.768, 3);
  });

  it('partial buy chasing a rising price', () => {
    const leg = analyseOrder({ id: 'x', symbol: 'X', side: 'buy', quantity: 500, decisionPrice: 10_000, arrivalPrice: 10_050, endPrice: 10_200, fills: [{ quantity: 300, price: 10_100, charges: 0 }] });
    // delay 500·50 = 25000; trading 300·50 = 15000; opportunity 200·150 = 30000
    expect(leg.shortfall).toEqual({ delay: 25_000, trading: 15_000, opportunity: 30_000, charges: 0, total: 70_000 });
  });

  it('complete sell above arrival: a negative trading cost (a gain)', () => {
    const leg = analyseOrder({ id: 'y', symbol: 'Y', side: 'sell', quantity: 100, decisionPrice: 20_000, arrivalPrice: 19_900, fills: [{ quantity: 100, price: 20_100, charges: 0 }] });
    // delay = −1·100·(19900 − 20000) = 10000; trading = −1·100·(20100 − 19900) = −20000
    expect(leg.shortfall).toEqual({ delay: 10_000, trading: -20_000, opportunity: 0, charges: 0, total: -10_000 });
    expect(leg.slippageBps.arrival).toBeCloseTo(-100.5025, 4);
  });

  it('nothing filled: the whole order is opportunity cost; no slippage', () => {
    const leg = analyseOrder({ id: 'z', symbol: 'Z', side: 'buy', quantity: 10, decisionPrice: 1_000, arrivalPrice: 1_010, endPrice: 1_030, fills: [] });
    expect(leg.shortfall).toEqual({ delay: 100, trading: 0, opportunity: 200, charges: 0, total: 300 });
    expect(leg.averagePrice).toBeNull();
    expect(leg.slippageBps.arrival).toBeNull();
  });

  it('the decomposition always sums to the total, which equals the paper-portfolio shortfall', () => {
    const price = fc.integer({ min: 1_00, max: 50_000_00 });
    const order = fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.integer({ min: 1, max: 100_000 }),
      decision: price,
      arrival: price,
      end: price,
      fills: fc.array(fc.record({ share: fc.integer({ min: 1, max: 100 }), price, charges: fc.integer({ min: 0, max: 10_000_00 }) }), { maxLength: 8 }),
      fillFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(order, (o) => {
        const target = Math.floor(o.quantity * o.fillFraction);
        const shares = o.fills.reduce((a, f) => a + f.share, 0);
        let left = target;
        const fills = o.fills
          .map((f, i) => {
            const q = i === o.fills.length - 1 ? left : Math.min(left, Math.floor((target * f.share) / shares));
            left -= q;
            return { quantity: q, price: f.price, charges: f.charges };
          })
          .filter((f) => f.quantity > 0);
        const leg = analyseOrder({ id: 'p', symbol: 'P', side: o.side, quantity: o.quantity, decisionPrice: o.decision, arrivalPrice: o.arrival, endPrice: o.end, fills });
        const m = leg.shortfall;
        expect(m.delay + m.trading + m.opportunity + m.charges).toBe(m.total);
        const b = leg.shortfallBps;
        expect(b.delay + b.trading + b.opportunity + b.charges).toBeCloseTo(b.total, 6);
        // Perold: s·(what was paid for what was filled + the unfilled at P_n − the paper portfolio) + charges.
        const s = o.side === 'buy' ? 1 : -1;
        const paid = fills.reduce((a, f) => a + f.quantity * f.price, 0);
        const filled = fills.reduce((a, f) => a + f.quantity, 0);
        const charges = fills.reduce((a, f) => a + f.charges, 0);
        expect(m.total).toBe(s * (paid + (o.quantity - filled) * o.end - o.quantity * o.decision) + charges);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

function sample(ts: number, last: number, volume: number): MarketSample {
  return { ts, bid: last - 50, ask: last + 50, last, volume };
}

describe('market benchmarks from samples', () => {
  const market = new MarketSeries([sample(0, 10_000, 1_000), sample(60_000, 10_100, 1_100), sample(120_000, 10_200, 1_400), sample(180_000, 10_300, 1_500)]);

  it('interval VWAP = Σ(Δvolume·price)/ΣΔvolume over the order\'s life', () => {
    // [30s, 150s]: base sample at 0; increments 100 @ 10100 and 300 @ 10200 → 40800·100/400 = 10175
    expect(market.intervalVwap(30_000, 150_000)).toEqual({ vwap: 10_175, volume: 400 });
  });

  it('TWAP weights each mid by how long it held', () => {
    // 10000 for 30s, 10100 for 60s, 10200 for 30s → 10100
    expect(market.twap(30_000, 150_000)).toBe(10_100);
  });

  it('feeds VWAP, TWAP, close, end price, participation and markouts into a leg', () => {
    const leg = analyseOrder(
      { id: 'm', symbol: 'M', side: 'buy', quantity: 300, decisionPrice: 10_000, arrivalPrice: 10_000, startTs: 30_000, endTs: 150_000, fills: [{ quantity: 200, price: 10_150, charges: 0, ts: 90_000 }] },
      market,
    );
    expect(leg.benchmarks.vwap).toBe(10_175);
    expect(leg.benchmarks.twap).toBe(10_100);
    expect(leg.benchmarks.close).toBe(10_300); // the last sample at/after the end
    expect(leg.endPrice).toBe(10_300); // first mid at/after the end
    expect(leg.participation).toBe(0.5); // 200 of 400
    expect(leg.slippageBps.vwap).toBeCloseTo(((10_150 - 10_175) / 10_175) * 10_000, 10);
    // 1 minute after 90s: first sample at/after 150s is at 180s, mid 10300 → (10300 − 10150)/10150·1e4
    expect(leg.markoutBps.m1).toBeCloseTo((150 / 10_150) * 10_000, 10);
    expect(leg.markoutBps.m5).toBeNull(); // no sample 5 minutes after
    expect(leg.durationMs).toBe(120_000);
    // opportunity = 100·(10300 − 10000)
    expect(leg.shortfall.opportunity).toBe(30_000);
  });
});

describe('run totals and comparison', () => {
  const orders: TcaOrder[] = [
    { id: 'a', symbol: 'A', side: 'buy', quantity: 100, decisionPrice: 1_000, arrivalPrice: 1_010, endPrice: 1_010, algo: 'twap', broker: 'paper', currency: 'INR', fills: [{ quantity: 100, price: 1_020, charges: 50 }] },
    { id: 'b', symbol: 'B', side: 'sell', quantity: 100, decisionPrice: 2_000, arrivalPrice: 2_000, endPrice: 1_990, algo: 'vwap', broker: 'paper', currency: 'INR', fills: [{ quantity: 50, price: 1_995, charges: 20 }] },
  ];

  it('adds legs\' money and divides by the total paper value', () => {
    const report = analyseOrders('r1', orders);
    const t = report.totals[0]!;
    // a: delay 1000, trading 1000, charges 50 → 2050; b: delay 0, trading 250, opportunity 500, charges 20 → 770
    expect(t.shortfall).toEqual({ delay: 1_000, trading: 1_250, opportunity: 500, charges: 70, total: 2_820 });
    expect(t.paperValue).toBe(300_000);
    expect(t.shortfallBps.total).toBeCloseTo(94, 10);
    expect(t.fillRate).toBe(0.75);
  });

  it('groups legs by algorithm or broker', () => {
    const legs = analyseOrders(null, orders).legs;
    const byAlgo = compareLegs(legs, 'algo');
    expect(byAlgo.map((g) => g.key)).toEqual(['twap', 'vwap']);
    expect(byAlgo[0]!.shortfallBps.total).toBeCloseTo(205, 10); // 2050 / 100000
    const byBroker = compareLegs(legs, 'broker');
    expect(byBroker).toHaveLength(1);
    expect(byBroker[0]!.shortfallBps.total).toBeCloseTo(94, 10);
  });
});

describe('legs of a run: child fills grouped under their parent', () => {
  it('takes S, P_d and P_0 from the parent and the fills from its children', () => {
    const base = { runId: 'r', broker: 'paper', symbol: 'INFY', exchange: 'NSE', side: 'buy' as const, algo: 'twap', arrivalPrice: null, decisionPrice: null, marketCreatedAt: 1_000, marketUpdatedAt: 9_000 };
    const orders = [
      { ...base, clientOrderId: 'P0', parentId: null, leg: 0, quantity: 300, status: 'filled', arrivalPrice: 150_000, decisionPrice: 149_000 },
      { ...base, clientOrderId: 'C1', parentId: 'P0', leg: 0, quantity: 100, status: 'filled' },
      { ...base, clientOrderId: 'C2', parentId: 'P0', leg: 0, quantity: 200, status: 'filled' },
    ];
    const fills = [
      { broker: 'paper', tradeId: 't1', clientOrderId: 'C1', quantity: 100, price: 150_100, ts: 2_000 },
      { broker: 'paper', tradeId: 't2', clientOrderId: 'C2', quantity: 200, price: 150_200, ts: 5_000 },
    ];
    const [leg] = legsOfRun(orders, fills, new Map([['paper\u0000t1', 700]]));
    expect(leg).toMatchObject({ id: 'P0', quantity: 300, arrivalPrice: 150_000, decisionPrice: 149_000, startTs: 1_000, endTs: 9_000, currency: 'INR' });
    expect(leg!.fills.map((f) => [f.quantity, f.charges])).toEqual([
      [100, 700],
      [200, 0],
    ]);
  });

  it("leaves a bracket exit's fills out of its leg's execution", () => {
    const base = { runId: 'r', broker: 'paper', symbol: 'INFY', exchange: 'NSE', algo: 'market', arrivalPrice: null, decisionPrice: null, marketCreatedAt: 1_000, marketUpdatedAt: 9_000 };
    const orders = [
      { ...base, side: 'buy' as const, clientOrderId: 'P0', parentId: null, leg: 0, quantity: 100, status: 'filled', arrivalPrice: 150_000, decisionPrice: 150_000 },
      { ...base, side: 'buy' as const, clientOrderId: 'C1', parentId: 'P0', leg: 0, quantity: 100, status: 'filled' },
      { ...base, side: 'sell' as const, clientOrderId: 'C1TP', parentId: 'P0', leg: 0, quantity: 100, status: 'filled' },
    ];
    const fills = [
      { broker: 'paper', tradeId: 't1', clientOrderId: 'C1', quantity: 100, price: 150_100, ts: 2_000 },
      { broker: 'paper', tradeId: 't2', clientOrderId: 'C1TP', quantity: 100, price: 160_000, ts: 5_000 },
    ];
    const [leg] = legsOfRun(orders, fills, new Map());
    expect(leg!.fills.map((f) => [f.quantity, f.price])).toEqual([[100, 150_100]]);
  });
});

describe('TCA input files', () => {
  const order = { symbol: 'INFY', side: 'buy', quantity: S, decision_price: 1500, arrival_price: 1501.2, fills: [{ quantity: 10, price: 1502.5, charges: 1.25, time: '2025-01-06T09:35:00+05:30' }] };

  it('reads JSON, converting prices and charges to minor units', () => {
    const [o] = parseTcaJson(JSON.stringify({ orders: [order] }), 'in.json');
    expect(o).toMatchObject({ symbol: 'INFY', quantity: 1000, decisionPrice: 150_000, arrivalPrice: 150_120 });
    expect(o!.fills[0]).toEqual({ quantity: 10, price: 150_250, charges: 125, ts: Date.parse('2025-01-06T09:35:00+05:30') });
  });

  it('names the JSON path of an invalid field', () => {
    const bad = { orders: [order, { ...order, fills: [order.fills[0], { quantity: 5, price: -1 }] }] };
    expect(() => parseTcaJson(JSON.stringify(bad), 'in.json')).toThrow(TcaInputError);
    expect(() => parseTcaJson(JSON.stringify(bad), 'in.json')).toThrow(/in\.json \$\.orders\[1\]\.fills\[1\]\.price: /);
    const issues = (() => {
      try {
        parseTcaJson(JSON.stringify(bad), 'in.json');
      } catch (err) {
        return (err as TcaInputError).issues;
      }
    })();
    expect(issues).toEqual([{ file: 'in.json', path: '$.orders[1].fills[1].price', field: 'price', message: expect.any(String) }]);
  });

  it('rejects fills that add up to more than the order', () => {
    const bad = { orders: [{ ...order, quantity: 5 }] };
    expect(() => parseTcaJson(JSON.stringify(bad), 'in.json')).toThrow(/orders\[0\]\.fills: fills add up to 10, more than the ordered 5/);
  });

  const header = 'order_id,symbol,side,quantity,decision_price,arrival_price,end_price,fill_quantity,fill_price,fill_charges,fill_time';

  it('reads CSV, one row per fill, grouped by order id', () => {
    const csv = [header, 'a,INFY,buy,100,1500,1501,1510,60,1502,1.5,2025-01-06T09:35:00+05:30', 'a,INFY,buy,100,1500,1501,1510,40,1503,1,', 'b,TCS,sell,10,4100,4095,,,,,'].join('\n');
    const orders = parseTcaCsv(csv, 'in.csv');
    expect(orders).toHaveLength(2);
    expect(orders[0]!.fills.map((f) => [f.quantity, f.price, f.charges])).toEqual([
      [60, 150_200, 150],
      [40, 150_300, 100],
    ]);
    expect(orders[1]!.fills).toEqual([]);
  });

  it('names the line and column of an invalid CSV cell', () => {
    const csv = [header, 'a,INFY,buy,100,1500,1501,1510,60,1502,1.5,', 'a,INFY,buy,100,1500,1501,1510,40,abc,1,'].join('\n');
    expect(() => parseTcaCsv(csv, 'in.csv')).toThrow(/in\.csv:3 \(fill_price\): not a number: "abc"/);
    const negative = [header, 'a,INFY,buy,100,1500,1501,1510,60,1502,1.5,', 'a,INFY,buy,100,1500,1501,1510,-4,1502,1,'].join('\n');
    expect(() => parseTcaCsv(negative, 'in.csv')).toThrow(/in\.csv:3 \(fill_quantity\)/);
    const conflict = [header, 'a,INFY,buy,100,1500,1501,1510,60,1502,1.5,', 'a,INFY,sell,100,1500,1501,1510,40,1502,1,'].join('\n');
    expect(() => parseTcaCsv(conflict, 'in.csv')).toThrow(/:3 \(side\): "sell" differs from line 2/);
    expect(() => parseTcaCsv('order_id,symbol,colour\n', 'in.csv')).toThrow(/unknown column "colour"/);
  });
});
