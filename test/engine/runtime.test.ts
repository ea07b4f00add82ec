import { afterEach, describe, expect, it } from 'vitest';
import { World, THIN_BOOK } from './world.js';
import { connectionOf } from '../../src/store/connection.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const TARGET = 'symbol,target_quantity\nRELIANCE,300\nTCS,80\nINFY,150\nITC,1200\n';

async function sumFilledBySymbol(w: World, runId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const f of w.fills(runId)) out[f.symbol] = (out[f.symbol] ?? 0) + f.quantity;
  return out;
}

describe('execution runtime on the paper broker', () => {
  it('works every leg to completion and records each fill exactly once', async () => {
    world = new World();
    const { checked, outcome } = await world.rebalance(TARGET);
    expect(outcome.status).toBe('completed');
    expect(outcome.legs.every((l) => l.outcome === 'complete' && l.filled === l.quantity)).toBe(true);
    expect(await world.owned()).toEqual({ RELIANCE: 300, TCS: 80, INFY: 150, ITC: 1200 });
    const trades = world.fills(checked.runId).map((f) => f.trade_id);
    expect(new Set(trades).size).toBe(trades.length);
    expect(await sumFilledBySymbol(world, checked.runId)).toEqual({ RELIANCE: 300, TCS: 80, INFY: 150, ITC: 1200 });
    // The projection agrees with the events: parents carry the sum of their children's fills.
    const parents = connectionOf(world.store).prepare('SELECT symbol, filled_quantity, status FROM orders WHERE parent_id IS NULL ORDER BY symbol').all();
    expect(parents).toEqual([
      { symbol: 'INFY', filled_quantity: 150, status: 'filled' },
      { symbol: 'ITC', filled_quantity: 1200, status: 'filled' },
      { symbol: 'RELIANCE', filled_quantity: 300, status: 'filled' },
      { symbol: 'TCS', filled_quantity: 80, status: 'filled' },
    ]);
  });

  it('records the intent before the broker call: every child has pending_submit before accepted', async () => {
    world = new World();
    const { checked } = await world.rebalance('symbol,target_quantity\nTCS,10\n');
    const events = world.store.events({ runId: checked.runId, types: ['order.status'] }).map((e) => e.payload as { clientOrderId: string; to: string });
    const child = events.filter((e) => e.clientOrderId.includes('C'));
    expect(child.map((e) => e.to).slice(0, 2)).toEqual(['pending_submit', 'accepted']);
  });

  it('resolves a placement timeout after acceptance by looking the order up, never sending it twice', async () => {
    // With 1.5 s of latency the order's updates arrive 3 s after it was sent: its answer times out
    // (at 2 s) before any update tells what became of it, so only a look-up by client order id can.
    world = new World({ latencyMs: 1500, faults: { timeoutAfterAccept: 1, timeoutMs: 2000 } });
    const { checked, outcome } = await world.rebalance('symbol,target_quantity\nTCS,40\nINFY,60\n');
    expect(outcome.status).toBe('completed');
    const counts = await world.brokerOrdersByClientId();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(2);
    const statuses = world.store.events({ runId: checked.runId, types: ['order.status'] }).map((e) => (e.payload as { to: string }).to);
    expect(statuses).toContain('unknown');
    expect(await world.owned()).toEqual({ TCS: 40, INFY: 60 });
  });

  it('re-sends a timed-out order only after confirming the broker never received it', async () => {
    world = new World({ faults: { timeoutBeforeAccept: 0.5, timeoutMs: 1000 } });
    const { outcome } = await world.rebalance('symbol,target_quantity\nTCS,40\nINFY,60\nITC,500\nSBIN,100\n');
    expect(outcome.status).toBe('completed');
    const counts = await world.brokerOrdersByClientId();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await world.owned()).toEqual({ TCS: 40, INFY: 60, ITC: 500, SBIN: 100 });
  });

  it('loses no fill when the broker drops updates: the order book is re-read', async () => {
    world = new World({ faults: { dropUpdate: 0.5 } });
    const { checked, outcome } = await world.rebalance(TARGET, {}, world.service({ runtimeOptions: { staleOrderMs: 2000 } }));
    expect(outcome.status).toBe('completed');
    expect(await sumFilledBySymbol(world, checked.runId)).toEqual({ RELIANCE: 300, TCS: 80, INFY: 150, ITC: 1200 });
  });

  it('survives 5xx and 429 answers to order calls', async () => {
    world = new World({ faults: { unavailable: 0.3, rateLimited: 0.3 } });
    const { outcome } = await world.rebalance(TARGET);
    expect(outcome.status).toBe('completed');
    expect([...(await world.brokerOrdersByClientId()).values()].every((n) => n === 1)).toBe(true);
  });

  it('reports rejected legs as incomplete with the broker\'s reason', async () => {
    world = new World({ faults: { reject: 1 } });
    const { outcome } = await world.rebalance('symbol,target_quantity\nTCS,10\n');
    expect(outcome.status).toBe('incomplete');
    expect(outcome.legs[0]).toMatchObject({ outcome: 'rejected', filled: 0 });
    expect(outcome.legs[0]!.reason).toBeTruthy();
  });

  it('stops a scheduled leg after three rejections instead of sending every slice', async () => {
    world = new World({ faults: { reject: 1 } });
    const { checked, outcome } = await world.rebalance('symbol,target_quantity\nTCS,100\n', {
      planOptions: { defaultExecution: { algo: 'twap', orderType: 'limit', params: { duration: '10m', slices: 10, child_type: 'market' } } },
    });
    expect(outcome.legs[0]).toMatchObject({ outcome: 'rejected', filled: 0 });
    expect(outcome.legs[0]!.reason).toMatch(/^stopped after 3 rejections; last: /);
    const sent = connectionOf(world.store).prepare('SELECT count(*) FROM orders WHERE run_id = ? AND parent_id IS NOT NULL').pluck().get(checked.runId);
    expect(sent).toBe(3);
  });

  it('stops a limit leg that does not fill at its horizon and cancels its order', async () => {
    world = new World();
    const { outcome } = await world.rebalance('{"positions":[{"symbol":"ITC","quantity":100,"limit_price":100}]}', {}, world.service({ runtimeOptions: { defaultHorizonMs: 60_000 } }));
    expect(outcome.status).toBe('incomplete');
    expect(outcome.legs[0]).toMatchObject({ outcome: 'unfilled', filled: 0, reason: expect.stringMatching(/^horizon reached with 100 of 100 unfilled: the leg's limit price 100\.00 is below the ask \d+\.\d\d$/) });
    expect((await world.broker.orders()).every((o) => o.status === 'cancelled')).toBe(true);
  });

  it('resumes an interrupted run: continues from the events, finds every order, ends at the target', async () => {
    world = new World({}, { model: THIN_BOOK });
    const controller = new AbortController();
    const service = world.service({ signal: controller.signal });
    const big = 'symbol,target_quantity\nRELIANCE,6000\nTCS,2500\nITC,40000\n';
    const request = world.request(big);
    const checked = await world.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    // Interrupt while the liquidity-limited orders are partly filled.
    world.clock.setTimeout(() => controller.abort(), 3_000);
    const first = await world.clock.run(service.execute(checked));
    service.release();
    expect(first.status).toBe('interrupted');
    expect(first.legs.some((l) => l.filled > 0 && l.filled < l.quantity)).toBe(true);
    const before = await world.brokerOrdersByClientId();
    expect(before.size).toBe(3);

    const outcome = await world.resumeAsNewProcess(checked.runId, { runtimeOptions: { defaultHorizonMs: 60 * 60_000 } });
    expect(outcome.status).toBe('completed');
    const after = await world.brokerOrdersByClientId();
    for (const [id, n] of before) expect(after.get(id)).toBe(n);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
    // The plan scaled the buys to the cash; the account ends exactly at the planned quantities.
    const planned = Object.fromEntries(checked.plan.legs.map((l) => [l.symbol, l.quantity]));
    expect(Object.keys(planned).sort()).toEqual(['ITC', 'RELIANCE', 'TCS']);
    expect(await sumFilledBySymbol(world, checked.runId)).toEqual(planned);
    expect(await world.owned()).toEqual(planned);
  });

  it('honours pause and cancel requests appended by another process', async () => {
    world = new World();
    const service = world.service();
    const request = world.request('{"positions":[{"symbol":"ITC","quantity":100,"limit_price":100},{"symbol":"TCS","quantity":5}]}');
    const checked = await world.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    const itcLeg = checked.plan.legs.find((l) => l.symbol === 'ITC')!.index;
    world.clock.setTimeout(() => {
      world!.store.append({ runId: checked.runId, type: 'run.control', payload: { action: 'cancel', leg: itcLeg, by: 'test' } });
    }, 5_000);
    const outcome = await world.clock.run(service.execute(checked));
    service.release();
    expect(outcome.legs.find((l) => l.symbol === 'ITC')).toMatchObject({ outcome: 'cancelled', filled: 0 });
    expect(outcome.legs.find((l) => l.symbol === 'TCS')).toMatchObject({ outcome: 'complete' });
    expect(world.clock.now() - checked.snapshot.takenAt).toBeLessThan(60_000);
  });

  it('honours each of several requests appended minutes apart: pause, resume, then a cancel', async () => {
    world = new World();
    const service = world.service();
    const request = world.request('symbol,target_quantity\nITC,1000\nTCS,50\n', {
      planOptions: { defaultExecution: { algo: 'twap', orderType: 'market', params: { duration: '10m', slices: 10, child_type: 'market' } } },
    });
    const checked = await world.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    const start = world.clock.now();
    const itcLeg = checked.plan.legs.find((l) => l.symbol === 'ITC')!.index;
    const control = (at: number, action: 'pause' | 'resume' | 'cancel', leg?: number) =>
      world!.clock.setTimeout(() => world!.store.append({ runId: checked.runId, type: 'run.control', payload: { action, leg, by: 'test' } }), at);
    control(90_000, 'pause');
    control(240_000, 'resume');
    control(330_000, 'cancel', itcLeg);
    const outcome = await world.clock.run(service.execute(checked));
    service.release();
    const statuses = world.store.events({ runId: checked.runId, types: ['run.status'] }).map((e) => (e.payload as { status: string }).status);
    expect(statuses).toEqual(expect.arrayContaining(['paused', 'running']));
    expect(statuses.indexOf('paused')).toBeLessThan(statuses.lastIndexOf('running'));
    // Nothing was sent while the run was paused (from the first poll after the request to the resume).
    // Order times in the engine's (market) time, which the virtual clock drives.
    const children = connectionOf(world.store).prepare('SELECT symbol, market_created_at AS created_at FROM orders WHERE run_id = ? AND parent_id IS NOT NULL').all(checked.runId) as { symbol: string; created_at: number }[];
    expect(children.filter((c) => c.created_at > start + 91_000 && c.created_at < start + 240_000)).toEqual([]);
    expect(children.some((c) => c.created_at >= start + 240_000)).toBe(true);
    const itc = outcome.legs.find((l) => l.symbol === 'ITC')!;
    expect(itc.outcome).toBe('partial');
    expect(itc.filled).toBeGreaterThan(0);
    expect(itc.filled).toBeLessThan(1000);
    expect(children.filter((c) => c.symbol === 'ITC' && c.created_at > start + 331_000)).toEqual([]);
    expect(outcome.legs.find((l) => l.symbol === 'TCS')).toMatchObject({ outcome: 'complete', filled: 50 });
  });
});
