import { afterEach, describe, expect, it } from 'vitest';
import { RebalanceService } from '../../src/engine/rebalance/rebalance-service.js';
import { AccountLock } from '../../src/store/account-lock.js';
import { storePorts } from '../../src/app/factory/store-ports.js';
import { World } from './world.js';
import { connectionOf } from '../../src/store/connection.js';
import { noLimits } from '../support/no-limits.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('a run whose account lock is taken over', () => {
  it('stops sending at its next heartbeat and leaves the run to the process that has it now', async () => {
    world = new World();
    const w = world;
    const controller = new AbortController();
    const lock = new AccountLock(w.store, { onLost: (key, now) => controller.abort(`the lock on ${key} was taken over by run ${now?.runId} (pid ${now?.pid} on ${now?.hostname})`) });
    const service = new RebalanceService({
      log: w.store,
      runs: storePorts(w.store).runs,
      locks: { acquire: (k, r) => lock.acquire(k, r), release: (k, r) => lock.release(k, r), holds: (k, r) => lock.holds(k, r) },
      broker: w.broker,
      clock: w.clock,
      risk: { config: noLimits() },
      signal: controller.signal,
    });
    const request = w.request('symbol,target_quantity\nTCS,100\nITC,2000\n', {
      planOptions: { defaultExecution: { algo: 'twap', orderType: 'market', params: { duration: '20m', slices: 10, child_type: 'market' } } },
    });
    const checked = await w.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    const start = w.clock.now();
    w.clock.setTimeout(() => {
      // Another host decided this process was gone and resumed the run.
      connectionOf(w.store).prepare("UPDATE locks SET pid = 4242, hostname = 'elsewhere'").run();
      w.store.append({ runId: checked.runId, type: 'run.status', payload: { status: 'running', reason: 'resumed' } });
      lock.beat(service.lockKey, checked.runId);
    }, 5 * 60_000);
    const outcome = await w.clock.run(service.execute(checked));
    service.release();
    expect(outcome.status).toBe('interrupted');
    expect(outcome.reason).toBe(`the lock on paper:PAPER was taken over by run ${checked.runId} (pid 4242 on elsewhere)`);
    const late = connectionOf(w.store).prepare('SELECT count(*) FROM orders WHERE run_id = ? AND parent_id IS NOT NULL AND market_created_at > ?').pluck().get(checked.runId, start + 5 * 60_000 + 1_000);
    expect(late).toBe(0);
    // Its last word was not recorded over the new holder's, and the new holder keeps its lock.
    expect(connectionOf(w.store).prepare('SELECT status FROM runs WHERE run_id = ?').pluck().get(checked.runId)).toBe('running');
    expect(connectionOf(w.store).prepare('SELECT hostname FROM locks').pluck().get()).toBe('elsewhere');
  });
});
