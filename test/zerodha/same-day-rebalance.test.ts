import { afterEach, describe, expect, it } from 'vitest';
import { storePorts } from '../../src/app/factory/store-ports.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { RebalanceService, type CheckedPlan } from '../../src/engine/rebalance/rebalance-service.js';
import { checkPlan, defaultRiskConfig } from '../../src/engine/risk/index.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { rebalanceRequest } from '../engine/world.js';
import { noLimits } from '../support/no-limits.js';
import { type Harness, startHarness } from './harness.js';

/**
 * Kite shows today's delivery trades as positions, not holdings, until the next trading day. A
 * second rebalance the same day (another target, `--new-run`) must plan from what the first one
 * bought and sold, not from the holdings alone.
 */
let h: Harness | undefined;
let store: Store | undefined;
afterEach(async () => {
  await h?.close();
  store?.close();
  h = store = undefined;
});

async function setUp(): Promise<{ rebalance: (text: string) => Promise<CheckedPlan> }> {
  // Quote pacing is not the subject here: the emulator answers quotes without its 1/s limit.
  h = await startHarness({ holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000 }], quotesPerSecond: 1000 });
  await h.broker.connect();
  const s = openDatabase(':memory:');
  store = s;
  const clock = new WallClock();
  const broker = h.broker;
  return {
    /** Plans the target and, when it has legs, executes it to the end; returns the checked plan. */
    async rebalance(text: string) {
      const service = new RebalanceService({ log: s, ...storePorts(s), broker, clock, risk: { config: noLimits() }, runtimeOptions: { pollMs: 20 } });
      const request = rebalanceRequest(text);
      const checked = await service.plan(request);
      if (checked.kind !== 'checked') throw new Error(`unexpected ${checked.kind}`);
      const outcome = await service.execute(checked);
      service.release();
      expect(outcome.status).toBe('completed');
      return checked;
    },
  };
}

const legsOf = (checked: CheckedPlan) => checked.plan.legs.map((l) => [l.symbol, l.side, l.quantity, l.current]);

describe('two rebalances on one Kite trading day', () => {
  it('the second plans from the first\'s fills: no re-buy, no over-sell; the next day nothing counts twice', async () => {
    const { rebalance } = await setUp();
    const exchange = h!.emu.state.exchange;

    expect(legsOf(await rebalance('symbol,target_quantity\nINFY,25\nTCS,5\n'))).toEqual([
      ['INFY', 'buy', 10, 15],
      ['TCS', 'buy', 5, 0],
    ]);
    // Kite: the buys are positions; the holdings still say 10 + 5 INFY and nothing of TCS.
    expect(exchange.holdings.map((x) => [x.symbol, x.quantity, x.t1Quantity])).toEqual([['INFY', 10, 5]]);

    // Another target naming INFY at the same quantity: nothing more to buy.
    const second = await rebalance('symbol,target_quantity\nINFY,25\nITC,3\n');
    expect(legsOf(second)).toEqual([['ITC', 'buy', 3, 0]]);
    expect(second.plan.skipped).toContainEqual({ symbol: 'INFY', exchange: 'NSE', reason: 'already at target' });

    // Sell down to 5: 20 of the 25 owned (15 held + 10 bought today).
    expect(legsOf(await rebalance('symbol,target_quantity\nINFY,5\n'))).toEqual([['INFY', 'sell', 20, 25]]);
    expect(exchange.ownedQuantity('NSE', 'INFY')).toBe(5);

    // Re-planned to zero, it sells the 5 left, not the 15 the holdings still show.
    const third = await rebalance('symbol,target_quantity\nINFY,0\nTCS,5\n');
    expect(legsOf(third)).toEqual([['INFY', 'sell', 5, 5]]);
    // The short-sell rule counts the same: 6 of INFY would be one too many.
    const oversell = { ...third.plan, legs: third.plan.legs.map((l) => ({ ...l, quantity: 6 })) };
    const verdict = checkPlan(oversell, third.snapshot, { config: defaultRiskConfig(), now: Date.now() });
    expect(verdict.legs[0]!.reasons.find((r) => r.rule === 'short_sell')?.message).toMatch(/^selling 6 but only 5 owned .*, 10 sold today/);
    expect(exchange.ownedQuantity('NSE', 'INFY')).toBe(0);

    // The next trading day the buys are T1 holdings and the positions are gone: counted once.
    exchange.nextDay();
    expect(exchange.holdings.map((x) => [x.symbol, x.quantity, x.t1Quantity])).toEqual([
      ['TCS', 0, 5],
      ['ITC', 0, 3],
    ]);
    expect(legsOf(await rebalance('symbol,target_quantity\nTCS,5\nITC,3\nINFY,0\n'))).toEqual([]);
  }, 30_000);
});
