import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { riskServices } from '../../src/app/factory/risk.js';
import { getRun } from '../../src/store/queries.js';
import { KillSwitch } from '../../src/store/risk-queries.js';
import { World, THIN_BOOK } from './world.js';
import { connectionOf } from '../../src/store/connection.js';
import { noLimits } from '../support/no-limits.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const runRow = (w: World, runId: string) => {
  const row = getRun(w.store, runId)!;
  return { status: row.status, reason: row.reason, summary: JSON.parse(row.summary ?? '{}') as Record<string, number> };
};

describe('a run that leaves legs of its target out', () => {
  it('ends partial, never completed, with the blocked legs and their reasons; a resumed run reports them too', async () => {
    world = new World({}, { model: THIN_BOOK });
    const controller = new AbortController();
    // The checks block TCS; --allow-partial sends the rest.
    const service = world.service({ signal: controller.signal, risk: { config: noLimits({ lists: { restricted: ['TCS'] } }) } });
    const request = world.request('symbol,target_quantity\nRELIANCE,6000\nTCS,5\n', { allowPartial: true });
    const checked = await world.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    const tcs = checked.plan.legs.find((l) => l.symbol === 'TCS')!;
    const reasons = [{ rule: 'restricted', message: 'NSE:TCS is on the restricted list (risk.lists.restricted)' }];
    expect(checked.refusal).toBeNull();
    expect(checked.legs.map((l) => l.symbol)).toEqual(['RELIANCE']);
    // Interrupted while RELIANCE is partly filled, so the end is reached by a resume.
    world.clock.setTimeout(() => controller.abort(), 3_000);
    const first = await world.clock.run(service.execute(checked));
    service.release();
    expect(first.status).toBe('interrupted');
    expect(first.blocked).toEqual([{ leg: tcs.index, symbol: 'TCS', exchange: 'NSE', side: 'buy', quantity: 5, reasons }]);

    const outcome = await world.resumeAsNewProcess(checked.runId, { runtimeOptions: { defaultHorizonMs: 60 * 60_000 } });
    expect(outcome.legs.map((l) => [l.symbol, l.outcome])).toEqual([['RELIANCE', 'complete']]);
    expect(outcome.status).toBe('partial');
    expect(outcome.reason).toBe('1 leg blocked by the pre-trade checks (TCS)');
    expect(outcome.blocked.map((b) => [b.symbol, b.reasons])).toEqual([['TCS', reasons]]);
    expect(runRow(world, checked.runId)).toMatchObject({ status: 'partial', reason: '1 leg blocked by the pre-trade checks (TCS)', summary: { legs: 2, complete: 1, blocked: 1 } });
  });

  it('a leg dropped by cash scaling is skipped with its reason, and the run is partial, not completed', async () => {
    // ₹20,000 buys one TCS share (₹3,120) and 20 ITC (₹8,100); ₹5,000 fits only part of ITC.
    world = new World({}, { cash: 2_000_000 });
    const { checked, outcome } = await world.rebalance('symbol,target_quantity\nTCS,1\nITC,20\n');
    expect(checked.plan.skipped).toEqual([]);
    expect(outcome.status).toBe('completed');
    await world.close();

    world = new World({}, { cash: 500_000 });
    const dropped = await world.rebalance('symbol,target_quantity\nTCS,1\nITC,20\n');
    expect(dropped.checked.plan.legs.map((l) => l.symbol)).toEqual(['ITC']);
    expect(dropped.outcome.skipped).toEqual([expect.objectContaining({ symbol: 'TCS', reason: 'dropped: not enough cash after scaling' })]);
    expect(dropped.outcome.status).toBe('partial');
    expect(dropped.outcome.reason).toBe('1 leg dropped for lack of cash (TCS)');
    expect(runRow(world, dropped.checked.runId)).toMatchObject({ status: 'partial', summary: { legs: 1, complete: 1, skipped: 1 } });

    // Nothing left at all: still not a success, and not "nothing to trade".
    const none = await world.rebalance('symbol,target_quantity\nMARUTI,1\n');
    expect(none.checked.plan.legs).toEqual([]);
    expect(none.outcome).toMatchObject({ status: 'partial', reason: '1 leg dropped for lack of cash (MARUTI)', legs: [] });
  });
});

describe('an unfinished run of the same target', () => {
  it('is offered for resuming only once its account lock is taken: a run live in another process is reported locked', async () => {
    world = new World();
    const controller = new AbortController();
    const service = world.service({ signal: controller.signal });
    const request = world.request('{"positions":[{"symbol":"ITC","quantity":10,"limit_price":300}]}');
    const checked = await world.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    world.clock.setTimeout(() => controller.abort(), 1_000);
    expect((await world.clock.run(service.execute(checked))).status).toBe('interrupted');
    service.release();

    // Another live process (our parent) holds the lock for it: no "resume", the holder is named.
    connectionOf(world.store).prepare('INSERT INTO locks (lock_key, run_id, pid, hostname, acquired_at) VALUES (?, ?, ?, ?, ?)').run('paper:PAPER', checked.runId, process.ppid, hostname(), Date.now());
    const again = world.service();
    expect(await world.clock.run(again.plan(request))).toEqual({ kind: 'locked', runId: checked.runId, holder: expect.objectContaining({ runId: checked.runId, pid: process.ppid, hostname: hostname() }) });

    // Nobody executes it any more: resumed, with the lock already held by this process.
    connectionOf(world.store).prepare('DELETE FROM locks').run();
    expect(await world.clock.run(again.plan(request))).toEqual({ kind: 'resume', runId: checked.runId, status: 'interrupted' });
    expect(connectionOf(world.store).prepare('SELECT run_id, pid FROM locks').get()).toEqual({ run_id: checked.runId, pid: process.pid });
    again.release();
  });
});

describe('the kill switch pulled just before a run continues', () => {
  it('stops the run resumably (interrupted), never rejecting its legs, and sends nothing', async () => {
    world = new World();
    const risk = riskServices(world.store, {}, undefined, {});
    const guards = { guard: risk.gate(world.broker, 'INR'), halt: risk.killSwitch };
    // The process dies once the legs are recorded, before any child order exists.
    const crash = (point: string) => {
      if (point === 'parents-started') throw new Error('crash');
    };
    const service = world.service({ failpoint: crash });
    const request = world.request('symbol,target_quantity\nRELIANCE,100\nTCS,50\n');
    const checked = await world.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    await expect(world.clock.run(service.execute(checked))).rejects.toThrow('crash');
    service.release();
    const sent = (await world.broker.orders()).length;
    expect(sent).toBe(0);

    new KillSwitch(world.store).halt('test halt', false);
    const resumed = await world.clock.run(world.service(guards).resume(checked.runId));
    if ('kind' in resumed) throw new Error('locked');
    expect(resumed.status).toBe('interrupted');
    expect(resumed.reason).toMatch(/kill switch: test halt/);
    expect(resumed.legs.map((l) => [l.symbol, l.outcome])).toEqual([
      ['RELIANCE', 'unfilled'],
      ['TCS', 'unfilled'],
    ]);
    expect((await world.broker.orders()).length).toBe(sent);
    expect(getRun(world.store, checked.runId)!.status).toBe('interrupted');

    // After `unhalt` the same run continues to its target.
    new KillSwitch(world.store).unhalt();
    const after = await world.clock.run(world.service(guards).resume(checked.runId));
    if ('kind' in after) throw new Error('locked');
    expect(after.status).toBe('completed');
    expect(await world.owned()).toEqual({ RELIANCE: 100, TCS: 50 });
  });
});
