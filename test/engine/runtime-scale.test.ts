import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAPER_UNIVERSE } from '../../src/brokers/paper/universe.js';
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
