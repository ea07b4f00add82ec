import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newEvent, type FillRecorded, type OrderCreated, type RunCreated } from '../../src/domain/events/index.js';
import type { OrderStatus } from '../../src/domain/order.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { checkPlan, RISK_HALTED, RISK_UNHALTED, watchKillSwitch, type HaltStatus } from '../../src/engine/risk/index.js';
import type { HaltState } from '../../src/engine/runtime/guards.js';
import { KillSwitch, SqliteOrderHistory } from '../../src/store/risk-queries.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { config, plan, snapshot } from './fixtures.js';

const opened: Store[] = [];
function open(path: string): Store {
  const store = openDatabase(path);
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
  return newEvent(runId, 'order.created', payload, marketTs);
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

function runCreated(runId: string, targetHash: string, marketTs: number, tradingDate = '2026-01-05') {
  const payload: RunCreated['payload'] = { runId, broker: 'paper', account: 'PAPER1', tradingDate, targetHash, source: 't.csv', dryRun: false, options: {} };
  return newEvent(runId, 'run.created', payload, marketTs);
}

function status(runId: string, clientOrderId: string, to: OrderStatus) {
  return newEvent(runId, 'order.status', { clientOrderId, from: 'created', to });
}

function fill(runId: string, clientOrderId: string, quantity: number, tradeId: string) {
  const payload: FillRecorded['payload'] = { clientOrderId, tradeId, brokerOrderId: `b-${clientOrderId}`, broker: 'paper', account: 'PAPER1', symbol: 'DEEP', exchange: 'NSE', side: 'buy', quantity, price: 100_000, ts: 0 };
  return newEvent(runId, 'fill.recorded', payload);
}

describe('order history for the duplicate rule and working sells', () => {
  it('finds earlier runs of the same target that traded, counting each leg and order once, across connections', () => {
    const path = dbPath();
    const writer = open(path);
    // Orders are dated by the wall clock they were recorded at (the duplicate window is a wall-clock window).
    const at = (wall: number, events: Parameters<typeof writer.append>[0]) => {
      writer.wallClock = () => wall;
      writer.append(events);
    };
    // run-a: one leg worked by three children: one filled in two trades, one still working, one cancelled unfilled.
    at(1_000, [runCreated('run-a', 'h1', 1_000), orderCreated('run-a', 'aL0', 300, 1_000)]);
    at(1_100, orderCreated('run-a', 'aC1', 100, 1_100, 'buy', 'aL0'));
    at(1_200, orderCreated('run-a', 'aC2', 100, 1_200, 'buy', 'aL0'));
    at(1_300, orderCreated('run-a', 'aC3', 100, 1_300, 'buy', 'aL0'));
    at(1_400, [fill('run-a', 'aC1', 60, 't1'), fill('run-a', 'aC1', 40, 't2'), status('run-a', 'aC2', 'accepted'), status('run-a', 'aC3', 'cancelled'), status('run-a', 'aL0', 'accepted')]);
    // run-z traded the same target but sent nothing that could fill; run-o is another target.
    at(2_000, [runCreated('run-z', 'h1', 2_000), orderCreated('run-z', 'zL0', 100, 2_000), orderCreated('run-z', 'zC1', 100, 2_100, 'buy', 'zL0'), status('run-z', 'zC1', 'rejected')]);
    at(3_000, [runCreated('run-o', 'h2', 3_000), orderCreated('run-o', 'oL0', 300, 3_000), orderCreated('run-o', 'oC1', 300, 3_100, 'buy', 'oL0'), fill('run-o', 'oC1', 300, 't3')]);

    const history = new SqliteOrderHistory(open(path));
    const query = { broker: 'paper', account: 'PAPER1', targetHash: 'h1', tradingDate: '2026-01-05', excludeRunId: 'run-b' };
    expect(history.sameTargetRuns(query)).toEqual([{ runId: 'run-a', status: 'planned', legs: 1, orders: 2, lastOrderAt: 1_200 }]);
    expect(history.sameTargetRuns({ ...query, excludeRunId: 'run-a' })).toEqual([]);
    expect(history.sameTargetRuns({ ...query, tradingDate: '2026-01-06' })).toEqual([]);
    expect(history.sameTargetRuns({ ...query, targetHash: 'h2' }).map((r) => [r.runId, r.legs, r.orders])).toEqual([['run-o', 1, 1]]);

    // Working parents: run-a's leg until it is done; run-o's never went past created.
    expect(history.workingParents({ broker: 'paper', account: 'PAPER1', tradingDate: '2026-01-05', excludeRunId: 'run-b' })).toEqual([
      { clientOrderId: 'aL0', runId: 'run-a', symbol: 'DEEP', exchange: 'NSE', side: 'buy', type: 'limit', quantity: 300, limitPrice: 100_000, algo: null, filledQuantity: 100 },
    ]);
    expect(history.workingParents({ broker: 'paper', account: 'PAPER1', tradingDate: '2026-01-05', excludeRunId: 'run-a' })).toEqual([]);
    writer.append(status('run-a', 'aL0', 'expired'));
    expect(history.workingParents({ broker: 'paper', account: 'PAPER1', tradingDate: '2026-01-05' })).toEqual([]);

    // Through checkPlan: an unfinished run counts all day; a finished one within the window from its last order that traded.
    writer.append({ runId: 'run-a', type: 'run.status', payload: { status: 'incomplete' } });
    const window = config().duplicates.window_seconds * 1000;
    const check = (wallNow: number, runId = 'run-b') =>
      checkPlan(plan([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }]), snapshot([{ symbol: 'DEEP', price: 100_000, adv: 1e9 }]), {
        config: config(),
        now: 0,
        wallNow,
        runId,
        history,
        intent: { targetHash: 'h1', tradingDate: '2026-01-05' },
      });
    expect(check(1_200 + window).run.map((r) => r.rule)).toEqual(['duplicate']);
    expect(check(1_200 + window + 1).verdict).toBe('pass');
    writer.append({ runId: 'run-a', type: 'run.status', payload: { status: 'interrupted' } });
    expect(check(1_200 + window + 1).run.map((r) => r.rule)).toEqual(['duplicate']);
    // Resuming the run that sent it is not a duplicate.
    expect(check(1_201, 'run-a').verdict).toBe('pass');
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
