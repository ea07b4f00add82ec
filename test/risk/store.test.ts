import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderCreated } from '../../src/domain/events.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { checkPlan, RISK_HALTED, RISK_UNHALTED, watchKillSwitch, type HaltStatus } from '../../src/engine/risk/index.js';
import type { HaltState } from '../../src/engine/runtime/guards.js';
import { KillSwitch, SqliteOrderHistory } from '../../src/store/risk-queries.js';
import { Store } from '../../src/store/store.js';
import { config, plan, snapshot } from './fixtures.js';

const opened: Store[] = [];
function open(path: string): Store {
  const store = Store.open(path);
  opened.push(store);
  return store;
}
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

function dbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'ptexec-risk-db-')), 'ptexec.db');
}

function orderCreated(runId: string, clientOrderId: string, quantity: number, marketTs: number, side: 'buy' | 'sell' = 'buy', parentId?: string) {
  const payload: OrderCreated['payload'] = {
    clientOrderId,
    parentId,
    leg: 0,
    broker: 'paper',
    account: 'PAPER1',
    symbol: 'DEEP',
    exchange: 'NSE',
    side,
    type: 'limit',
    quantity,
    limitPrice: 100_000,
    timeInForce: 'day',
    product: 'delivery',
  };
  return { runId, type: 'order.created', payload, marketTs };
}

describe('kill switch in the database', () => {
  it('a halt from a second connection is seen by the first at its next read', () => {
    const path = dbPath();
    const engine = new KillSwitch(open(path));
    const operatorStore = open(path);
    const operator = new KillSwitch(operatorStore);
    expect(engine.isHalted()).toEqual({ halted: false, cancelOpen: false });
    // The runtime polls it through its own HaltState interface.
    const polled: HaltState = engine;
    expect(polled.isHalted().halted).toBe(false);
    // Halted and released at the operator's wall-clock times.
    operatorStore.wallClock = () => 1_000;
    operator.halt('fat finger in target file', true, 'test');
    expect(engine.isHalted()).toEqual({ halted: true, reason: 'fat finger in target file', at: 1_000, cancelOpen: true });
    operatorStore.wallClock = () => 2_000;
    operator.unhalt('test');
    expect(engine.isHalted()).toEqual({ halted: false, at: 2_000, cancelOpen: false });
  });

  it('records events of no run and survives a restart and a projection rebuild', () => {
    const path = dbPath();
    const store = open(path);
    new KillSwitch(store).halt('maintenance', false, 'test');
    const events = store.events({ types: [RISK_HALTED, RISK_UNHALTED] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ runId: null, type: RISK_HALTED, payload: { reason: 'maintenance', cancelOpen: false, actor: 'test' } });
    store.close();
    const reopened = open(path);
    reopened.rebuildProjections();
    expect(new KillSwitch(reopened).isHalted()).toMatchObject({ halted: true, reason: 'maintenance' });
  });

  it('a running engine is told within one poll', async () => {
    const path = dbPath();
    const reader = new KillSwitch(open(path));
    const operatorStore = open(path);
    const operator = new KillSwitch(operatorStore);
    const clock = new VirtualClock(0);
    const seen: HaltStatus[] = [];
    const stop = watchKillSwitch(reader, clock, 250, (s) => seen.push(s));
    await clock.advance(250);
    expect(seen).toEqual([]);
    operatorStore.wallClock = () => 300;
    operator.halt('stop', true, 'test');
    await clock.advance(250);
    expect(seen).toEqual([{ halted: true, reason: 'stop', at: 300, cancelOpen: true }]);
    operator.unhalt('test');
    await clock.advance(250);
    expect(seen.at(-1)?.halted).toBe(false);
    stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('order history for the duplicate guard and working sells', () => {
  it('counts the same order of another run inside the window only, across connections', () => {
    const path = dbPath();
    const writer = open(path);
    // Recorded at 1,000,000 on the wall clock: the duplicate window is a wall-clock window.
    writer.wallClock = () => 1_000_000;
    writer.append(orderCreated('run-a', 'a-1', 100, 1_000_000));
    const history = new SqliteOrderHistory(open(path));
    const query = { broker: 'paper', account: 'PAPER1', exchange: 'NSE', symbol: 'DEEP', side: 'buy' as const, quantity: 100, excludeRunId: 'run-b' };
    expect(history.countSimilarSince({ ...query, since: 1_000_000 })).toBe(1);
    expect(history.countSimilarSince({ ...query, since: 1_000_001 })).toBe(0);
    expect(history.countSimilarSince({ ...query, since: 0, quantity: 101 })).toBe(0);
    expect(history.countSimilarSince({ ...query, since: 0, excludeRunId: 'run-a' })).toBe(0);

    const window = config().duplicates.window_seconds * 1000;
    const check = (now: number) =>
      checkPlan(plan([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }]), snapshot([{ symbol: 'DEEP', price: 100_000, adv: 1e9 }]), { config: config(), now, runId: 'run-b', history });
    expect(check(1_000_000 + window).legs[0]!.reasons.map((r) => r.rule)).toEqual(['duplicate']);
    expect(check(1_000_000 + window + 1).legs[0]!.verdict).toBe('pass');
    // Resuming the run that sent it is not a duplicate.
    expect(checkPlan(plan([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }]), snapshot([{ symbol: 'DEEP', price: 100_000, adv: 1e9 }]), { config: config(), now: 1_000_001, runId: 'run-a', history }).legs[0]!.verdict).toBe('pass');
  });

  it('lists live leaf orders only, so a parent and its children are not counted twice', () => {
    const store = open(dbPath());
    store.append([orderCreated('run-a', 'p-1', 100, 1, 'sell'), orderCreated('run-a', 'c-1', 40, 2, 'sell', 'p-1'), orderCreated('run-a', 'c-2', 60, 3, 'sell', 'p-1')]);
    store.append([
      { runId: 'run-a', type: 'order.status', payload: { clientOrderId: 'p-1', from: 'created', to: 'accepted' } },
      { runId: 'run-a', type: 'order.status', payload: { clientOrderId: 'c-1', from: 'created', to: 'accepted' } },
      { runId: 'run-a', type: 'order.status', payload: { clientOrderId: 'c-2', from: 'created', to: 'filled' } },
    ]);
    const working = new SqliteOrderHistory(store).workingOrders({ broker: 'paper', account: 'PAPER1' });
    expect(working.map((o) => [o.clientOrderId, o.quantity])).toEqual([['c-1', 40]]);
    expect(new SqliteOrderHistory(store).workingOrders({ broker: 'paper', account: 'PAPER1', excludeRunId: 'run-a' })).toEqual([]);
  });
});
