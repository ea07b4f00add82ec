import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAPER_UNIVERSE } from '../../src/brokers/paper/universe.js';
import { BreakerWatch } from '../../src/engine/runtime/breaker-watch.js';
import type { RuntimeContext } from '../../src/engine/runtime/runtime-context.js';
import { newParent, RunState, type ParentOrder } from '../../src/engine/runtime/runtime-state.js';
import { defaultRiskConfig } from '../../src/engine/risk/config.js';
import { connectionOf } from '../../src/store/connection.js';
import { SqliteOrderHistory } from '../../src/store/risk-queries.js';
import { noLimits } from '../support/no-limits.js';
import { World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const NSE = PAPER_UNIVERSE.filter((i) => i.exchange === 'NSE');

/** About ₹50,000 of each of `n` NSE names, after the first `skip`. */
function target(n: number, skip = 0): string {
  return `symbol,target_quantity\n${NSE.slice(skip, skip + n)
    .map((s) => `${s.symbol},${Math.max(50, Math.round(5e6 / s.referencePrice))}`)
    .join('\n')}\n`;
}

/** Engine steps (one write transaction each) and child orders of a TWAP run whose sends wait on a broker allowing 2 orders a second. */
async function rateLimitedTwap(legs: number): Promise<{ steps: number; children: number }> {
  world = new World({}, { inMemory: true });
  Object.assign(world.broker, { capabilities: { ...world.broker.capabilities, orderRate: { perSecond: 2 } } });
  // Polls are a step per interval of time, whatever the work: out of the way here.
  const service = world.service({ runtimeOptions: { pollMs: 60 * 60_000 } });
  const request = world.request(target(legs), { planOptions: { defaultExecution: { algo: 'twap', orderType: 'limit', params: { duration: '10m', slices: 10 } } } });
  const checked = await world.clock.run(service.plan(request));
  if (checked.kind !== 'checked') throw new Error(checked.kind);
  const steps = vi.spyOn(world.store, 'transaction');
  const outcome = await world.clock.run(service.execute(checked));
  service.release();
  expect(outcome.status).toBe('completed');
  const children = connectionOf(world.store).prepare('SELECT count(*) FROM orders WHERE run_id = ? AND parent_id IS NOT NULL').pluck().get(checked.runId) as number;
  const counted = { steps: steps.mock.calls.length, children };
  await world.close();
  world = undefined;
  return counted;
}

describe('the engine\'s work grows with the orders, not with their square', () => {
  it('a rate-limited TWAP takes a bounded number of steps per child order, at any number of legs', async () => {
    // Cancel confirmations used to forget the pending drain timer, so timers piled up while
    // sends waited on the rate limit: 21 steps per child at 10 legs, 30 at 20, 45 at 40.
    const small = await rateLimitedTwap(6);
    const large = await rateLimitedTwap(24);
    expect(large.children).toBeGreaterThan(3 * small.children);
    const perChild = (r: { steps: number; children: number }) => r.steps / r.children;
    expect(perChild(large)).toBeLessThan(15);
    expect(perChild(large)).toBeLessThan(perChild(small) * 1.2);
  });

  it('takes fewer than two steps per market order: the placement\'s answer and the broker\'s updates of that moment make one', async () => {
    world = new World({}, { inMemory: true });
    // Sends spaced by the rate limit, so each order's answer and updates fall at their own instants.
    Object.assign(world.broker, { capabilities: { ...world.broker.capabilities, orderRate: { perSecond: 10 } } });
    const service = world.service({ runtimeOptions: { pollMs: 60 * 60_000 } });
    const tenEach = `symbol,target_quantity\n${NSE.slice(0, 40).map((s) => `${s.symbol},10`).join('\n')}\n`;
    const request = world.request(tenEach, { planOptions: { defaultExecution: { algo: 'market', orderType: 'market', params: {} } } });
    const checked = await world.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    const db = connectionOf(world.store);
    let steps = 0;
    const transaction = world.store.transaction.bind(world.store);
    world.store.transaction = ((fn: () => unknown) => (db.inTransaction || steps++, transaction(fn))) as typeof transaction;
    const outcome = await world.clock.run(service.execute(checked));
    service.release();
    expect(outcome.legs.map((l) => l.outcome)).toEqual(Array(40).fill('complete'));
    // At --speed max the answer and the updates, due at the same instant, were fired one timer at
    // a time, each its own step (and commit): three steps per order.
    expect(steps / 40).toBeLessThan(2);
  });

  it('stops quoting an instrument once its leg has ended', async () => {
    world = new World({}, { inMemory: true });
    const market = NSE.slice(0, 10).map((s) => ({ symbol: s.symbol, quantity: 10 }));
    const twap = { symbol: NSE[10]!.symbol, quantity: 100, algo: 'twap', algo_params: { duration: '10m', slices: 10 } };
    const quoted: string[][] = [];
    const quotes = world.broker.quotes.bind(world.broker);
    world.broker.quotes = (list) => {
      quoted.push(list.map((i) => i.symbol));
      return quotes(list);
    };
    const { outcome } = await world.rebalance(JSON.stringify({ positions: [...market, twap] }));
    expect(outcome.status).toBe('completed');
    // The market legs end within seconds; the TWAP works for ten minutes, re-quoted as it goes.
    const late = quoted.slice(-5);
    expect(late.length).toBe(5);
    for (const list of late) expect(list).toEqual([twap.symbol]);
  });
});

/** Reads of the legs' fields by `work`, with `legs` open legs of which the first has a fill. */
function legReadsByBreakerChecks(legs: number, checks: number): number {
  const run = new RunState();
  let reads = 0;
  for (let i = 0; i < legs; i++) {
    const symbol = `S${i}`;
    const parent: ParentOrder = newParent({
      parentId: `p${i}`,
      leg: { index: i, symbol, exchange: 'NSE', side: 'buy', quantity: 10 } as ParentOrder['leg'],
      instrument: { symbol, exchange: 'NSE', name: symbol, currency: 'INR', tickSize: 5, lotSize: 1 },
      startedAt: 0,
      deadline: 1,
      arrivalPrice: 10_000,
      volumeAtStart: 0,
    });
    parent.status = 'accepted';
    run.parents.set(parent.parentId, new Proxy(parent, { get: (target, key) => (reads++, Reflect.get(target, key)) }));
  }
  run.addLegFill(run.parents.get('p0')!, 5, 10_005);
  const ctx = { run, parts: { legs: { pause: () => undefined } }, record: () => undefined, event: () => ({}) } as unknown as RuntimeContext;
  const watch = new BreakerWatch(ctx, defaultRiskConfig().breakers);
  reads = 0;
  for (let i = 0; i < checks; i++) watch.check();
  return reads;
}

describe('the run-wide breakers', () => {
  it('read the same few fields after every step at any number of legs', () => {
    // They summed every leg's fills after every step with fills: a market rebalance of 10,000
    // legs spent most of its time there (50.9 s of CPU against 10.5 s before the breakers).
    const few = legReadsByBreakerChecks(10, 1_000);
    const many = legReadsByBreakerChecks(1_000, 1_000);
    expect(many).toBeLessThanOrEqual(few);
    expect(many).toBeLessThan(5 * 1_000);
  });

  it('see every fill of the run: its cost against arrival as if summed over the legs', () => {
    const run = new RunState();
    const fills = [
      { side: 'buy' as const, arrival: 10_000, trades: [[5, 10_010], [3, 10_020]] },
      { side: 'sell' as const, arrival: 20_000, trades: [[4, 19_990]] },
      { side: 'buy' as const, arrival: 30_000, trades: [] },
    ];
    fills.forEach((f, i) => {
      const parent = newParent({ parentId: `p${i}`, leg: { index: i, symbol: `S${i}`, exchange: 'NSE', side: f.side, quantity: 10 } as ParentOrder['leg'], instrument: { symbol: `S${i}`, exchange: 'NSE', name: '', currency: 'INR', tickSize: 5, lotSize: 1 }, startedAt: 0, deadline: 1, arrivalPrice: f.arrival, volumeAtStart: 0 });
      run.parents.set(parent.parentId, parent);
      for (const [quantity, price] of f.trades) run.addLegFill(parent, quantity!, price!);
    });
    // buy: 5 × 10 + 3 × 20 = 110 worse; sell: 4 × 10 = 40 worse; at arrival 8 × 10,000 + 4 × 20,000.
    expect(run.arrivalCost).toEqual({ cost: 150, atArrival: 160_000 });
    expect([...run.parents.values()].map((p) => [p.filled, p.filledValue])).toEqual([[8, 80_110], [4, 79_960], [0, 0]]);
  });
});

describe('a broker\'s daily order limit', () => {
  it('is checked before anything is sent, counting what the account already sent that day', async () => {
    world = new World({}, { inMemory: true });
    Object.assign(world.broker, { capabilities: { ...world.broker.capabilities, orderRate: { ...world.broker.capabilities.orderRate, perDay: 12 } } });
    const history = new SqliteOrderHistory(world.store);
    const service = () => world!.service({ risk: { config: noLimits(), history } });
    // Three market orders: 3 of the day's 12 sent.
    const first = await world.rebalance(target(3), {}, service());
    expect(first.outcome.status).toBe('completed');
    expect(history.ordersSentOn({ broker: 'paper', account: world.broker.account, tradingDate: '2026-01-05' })).toBe(3);
    // Three TWAP legs of 5 slices each: the second would take the day to 13.
    const request = world.request(target(3, 3), {
      planOptions: { defaultExecution: { algo: 'twap', orderType: 'limit', params: { duration: '5m', slices: 5 } } },
    });
    const checked = await world.clock.run(service().plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    expect(checked.risk.legs.map((l) => l.verdict)).toEqual(['pass', 'block', 'block']);
    expect(checked.risk.legs[1]!.reasons[0]!.message).toBe("the broker takes 12 orders a day, 3 already sent today: this leg's 5 would go past it");
    expect(checked.risk.run.find((r) => r.rule === 'daily_orders')!.message).toBe(
      'the plan sends at least 15 orders; the broker takes 12 a day, 3 already sent today, so 9 are left: legs 1, 2 blocked. Split the target over trading days, or use fewer slices',
    );
  });
});
