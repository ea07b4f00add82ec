import { afterEach, describe, expect, it } from 'vitest';
import { World } from './world.js';
import { connectionOf } from '../../src/store/connection.js';

/**
 * `ptexec cancel` of a run no process is executing: the open orders it left at the broker are
 * cancelled there, those whose placement was never acknowledged are first found by client
 * order id, every change is recorded, and nothing new is sent.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Limits far below the market: they rest at the broker until cancelled. */
const RESTING = JSON.stringify({
  positions: [
    { symbol: 'ITC', quantity: 100, limit_price: 300 },
    { symbol: 'TCS', quantity: 10, limit_price: 2500 },
    { symbol: 'INFY', quantity: 20, limit_price: 1200 },
  ],
});

/**
 * Runs the target until the process "crashes" while recording the broker's first acknowledgement
 * (the broker's order updates are lost, so the orders it has are not known to be there).
 */
async function crashedRun(w: World, at = 'order-acknowledged') {
  let seen = 0;
  const service = w.service({
    failpoint: (name) => {
      if (name === at && ++seen === 1) throw new Error('crash');
    },
  });
  const request = w.request(RESTING);
  const checked = await w.clock.run(service.plan(request));
  if (checked.kind !== 'checked') throw new Error(checked.kind);
  await expect(w.clock.run(service.execute(checked))).rejects.toThrow('crash');
  service.release();
  // A new process: a fresh broker instance over the same database.
  await w.broker.close();
  w.broker = w.newBroker({});
  return checked;
}

const childStatuses = (w: World, runId: string) =>
  Object.fromEntries(
    (connectionOf(w.store).prepare('SELECT client_order_id id, status FROM orders WHERE run_id = ? AND parent_id IS NOT NULL ORDER BY client_order_id').all(runId) as { id: string; status: string }[]).map((r) => [r.id, r.status]),
  );

describe('cancelling a stopped run', () => {
  it('cancels every order it left at the broker, those never acknowledged included, sends nothing, and ends the run', async () => {
    world = new World({ faults: { dropUpdate: 1 } });
    const w = world;
    const { runId } = await crashedRun(w);
    const before = childStatuses(w, runId);
    expect(Object.values(before)).toContain('pending_submit');
    const atBroker = await w.broker.orders();
    expect(atBroker.filter((o) => o.status === 'accepted')).toHaveLength(3);

    const service = w.service();
    const result = await w.clock.run(service.cancelStopped(runId, { by: 'test', endLegs: true, reason: 'cancelled by the user' }));
    service.release();
    if ('kind' in result) throw new Error('locked');
    expect(result.stillOpen).toEqual([]);
    expect(result.outcome.status).toBe('incomplete');
    expect(result.outcome.legs.map((l) => l.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // At the broker: the same three orders, all cancelled; nothing new was sent.
    const after = await w.broker.orders();
    expect(after.map((o) => o.clientOrderId).sort()).toEqual(atBroker.map((o) => o.clientOrderId).sort());
    expect(after.every((o) => o.status === 'cancelled')).toBe(true);
    expect(Object.values(childStatuses(w, runId))).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // An unacknowledged order was found at the broker by its client id, then cancelled once.
    const unknownId = Object.entries(before).find(([, s]) => s === 'pending_submit')![0];
    const history = w.store.events({ runId, types: ['order.status'] }).map((e) => e.payload as { clientOrderId: string; to: string; brokerOrderId?: string }).filter((p) => p.clientOrderId === unknownId);
    expect(history.map((p) => p.to)).toEqual(['pending_submit', 'accepted', 'pending_cancel', 'cancelled']);
    expect(history[1]!.brokerOrderId).toBe(atBroker.find((o) => o.clientOrderId === unknownId)!.brokerOrderId);
    expect(w.store.events({ runId, types: ['run.control'] }).map((e) => e.payload)).toEqual([{ action: 'cancel', by: 'test' }]);
    const run = connectionOf(w.store).prepare('SELECT status, reason FROM runs WHERE run_id = ?').get(runId);
    expect(run).toEqual({ status: 'incomplete', reason: 'cancelled by the user' });
    expect(connectionOf(w.store).prepare('SELECT count(*) FROM locks').pluck().get()).toBe(0);
  });

  it('with one leg, cancels only that leg and leaves the run resumable; without ending the legs, only the orders go', async () => {
    world = new World({ faults: { dropUpdate: 1 } });
    const w = world;
    const { runId, plan } = await crashedRun(w);
    const itc = plan.legs.find((l) => l.symbol === 'ITC')!.index;
    const service = w.service();
    const one = await w.clock.run(service.cancelStopped(runId, { by: 'test', leg: itc, endLegs: true, reason: 'cancelled by the user' }));
    service.release();
    if ('kind' in one) throw new Error('locked');
    expect(one.outcome.status).toBe('interrupted');
    expect(one.outcome.legs.find((l) => l.leg === itc)!.outcome).toBe('cancelled');
    const open = (await w.broker.orders()).filter((o) => o.status === 'accepted').map((o) => o.symbol).sort();
    expect(open).toEqual(['INFY', 'TCS']);

    const halt = w.service();
    const rest = await w.clock.run(halt.cancelStopped(runId, { by: 'test', endLegs: false, reason: 'kill switch' }));
    halt.release();
    if ('kind' in rest) throw new Error('locked');
    expect((await w.broker.orders()).every((o) => o.status === 'cancelled')).toBe(true);
    expect(connectionOf(w.store).prepare('SELECT status FROM runs WHERE run_id = ?').pluck().get(runId)).toBe('interrupted');
    // The legs stay open: `ptexec resume` would work them again.
    const parents = connectionOf(w.store).prepare('SELECT symbol, status FROM orders WHERE run_id = ? AND parent_id IS NULL ORDER BY symbol').all(runId);
    expect(parents).toEqual([
      { symbol: 'INFY', status: 'accepted' },
      { symbol: 'ITC', status: 'cancelled' },
      { symbol: 'TCS', status: 'accepted' },
    ]);
  });

  it('an order whose placement never left the process is recorded as never sent, and is not sent', async () => {
    world = new World();
    const w = world;
    const { runId } = await crashedRun(w, 'order-intent-recorded');
    expect(Object.values(childStatuses(w, runId))).toContain('pending_submit');
    const sentBefore = (await w.broker.orders()).length;
    const service = w.service();
    const result = await w.clock.run(service.cancelStopped(runId, { by: 'test', endLegs: true, reason: 'cancelled by the user' }));
    service.release();
    if ('kind' in result) throw new Error('locked');
    expect(result.outcome.legs.map((l) => l.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await w.broker.orders()).toHaveLength(sentBefore);
    const reasons = w.store.events({ runId, types: ['order.status'] }).map((e) => e.payload as { to: string; reason?: string }).filter((p) => p.reason === 'never reached the broker; not re-sent');
    expect(reasons.length).toBeGreaterThan(0);
    expect(Object.values(childStatuses(w, runId)).every((s) => s === 'cancelled')).toBe(true);
  });
});
