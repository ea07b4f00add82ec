import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerEvent } from '../../src/brokers/broker.js';
import type { PaperBroker } from '../../src/brokers/paper/paper-broker.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import type { OrderStatusChanged } from '../../src/domain/events/index.js';
import { World } from './world.js';

/**
 * Every cancel ptexec sends is recorded with its cause — the next slice, the horizon, the user —
 * and a cancel that arrives after the order already ended is routine, not an alert.
 */
let worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

/** A TWAP whose children rest below the market: each slice is cancelled when the next starts, the last at the horizon. */
const PASSIVE_TWAP = { defaultExecution: { algo: 'twap', orderType: 'limit' as const, params: { duration: '5m', slices: 5, offset_bps: -200, cleanup: 'leave' } } };

function newWorld(): World {
  const world = new World({}, { inMemory: true });
  worlds.push(world);
  return world;
}

async function run(world: World, text: string, controls: [number, 'pause' | 'resume' | 'cancel', number?][] = []) {
  const service = world.service();
  const request = world.request(text, { planOptions: PASSIVE_TWAP });
  const checked = await world.clock.run(service.plan(request));
  if (checked.kind !== 'checked') throw new Error(checked.kind);
  for (const [at, action, leg] of controls) {
    world.clock.setTimeout(() => world.store.append({ runId: checked.runId, type: 'run.control', payload: { action, leg, by: 'test' } }), at);
  }
  const outcome = await world.clock.run(service.execute(checked));
  service.release();
  const statuses = world.store.events({ runId: checked.runId, types: ['order.status'] }).map((e) => e.payload);
  const alerts = world.store.events({ runId: checked.runId, types: ['run.alert'] }).map((e) => e.payload);
  return { outcome, statuses, alerts, legs: checked.plan.legs };
}

const cancels = (statuses: OrderStatusChanged['payload'][], to: string) => statuses.filter((s) => s.to === to && s.clientOrderId.includes('C'));

describe('why ptexec cancelled an order', () => {
  it("records a TWAP's own slice cancels as the next slice, a move to the touch or the horizon, never as the user", async () => {
    const world = newWorld();
    const { outcome, statuses } = await run(world, 'symbol,target_quantity\nITC,1000\n');
    expect(outcome.legs[0]).toMatchObject({ outcome: 'unfilled' });
    const asked = cancels(statuses, 'pending_cancel').map((s) => s.reason);
    // Within a slice a child the market left behind is moved back to the touch: a cancel of its own kind.
    expect(asked.filter((r) => r !== 'moved to the touch')).toEqual([...Array(4).fill('replaced by the next slice'), 'horizon reached']);
    expect(asked.at(-1)).toBe('horizon reached');
    // The broker confirms each cancel in its own words ("cancelled by the user"): the record keeps the cause.
    expect(cancels(statuses, 'cancelled').map((s) => s.reason)).toEqual(asked);
    expect(cancels(statuses, 'cancelled').every((s) => s.brokerStatus === 'CANCELLED')).toBe(true);
    expect(JSON.stringify(statuses)).not.toContain('by the user');
  });

  it('records a cancel the user asked for (ptexec cancel, the c key) as the user’s', async () => {
    const world = newWorld();
    const { outcome, statuses, legs } = await run(world, 'symbol,target_quantity\nITC,1000\nTCS,20\n', [[90_000, 'cancel', 0]]);
    const itc = legs.find((l) => l.symbol === 'ITC')!;
    expect(itc.index).toBe(0);
    expect(outcome.legs.find((l) => l.symbol === 'ITC')).toMatchObject({ outcome: 'cancelled', reason: 'cancelled by the user (ptexec cancel or key c)' });
    const itcCancels = cancels(statuses, 'cancelled').filter((s) => s.clientOrderId.includes('L0C'));
    expect(itcCancels.at(-1)!.reason).toBe('cancelled by the user (ptexec cancel or key c)');
    expect(cancels(statuses, 'cancelled').filter((s) => s.clientOrderId.includes('L1C')).every((s) => s.reason !== 'cancelled by the user (ptexec cancel or key c)')).toBe(true);
  });
});

type Race = 'ended before the answer' | 'answer before the update' | 'still working';

/**
 * The paper broker with its first cancel going wrong: the order had already ended when the
 * cancel arrived (the update reaching us before or after the refusal), or the cancel truly failed.
 */
function firstCancelGoesWrong(world: World, race: Race): void {
  const inner = world.broker;
  let first = true;
  let dropUpdateOf: string | undefined;
  const cancelOrder = async (brokerOrderId: string): Promise<void> => {
    if (!first) return inner.cancelOrder(brokerOrderId);
    first = false;
    if (race === 'still working') throw new BrokerError('unavailable', 'connection reset while cancelling', 'paper');
    if (race === 'answer before the update') dropUpdateOf = brokerOrderId;
    await inner.cancelOrder(brokerOrderId);
    throw new BrokerError('rejected', `cannot cancel order ${brokerOrderId}: it is cancelled`, 'paper', { code: 'CANCELLED' });
  };
  const subscribe = (listener: (event: BrokerEvent) => void) =>
    inner.subscribe((event) => {
      if (event.type === 'order' && event.order.brokerOrderId === dropUpdateOf) return;
      listener(event);
    });
  world.broker = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'cancelOrder') return cancelOrder;
      if (prop === 'subscribe') return subscribe;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as PaperBroker;
}

describe('a cancel that arrives too late', () => {
  it('is routine when the order had already ended: recorded at info level, the order’s end recorded once', async () => {
    for (const race of ['ended before the answer', 'answer before the update'] as const) {
      const world = newWorld();
      firstCancelGoesWrong(world, race);
      const { alerts, statuses } = await run(world, 'symbol,target_quantity\nITC,1000\n');
      expect(alerts.filter((a) => a.level !== 'info'), race).toEqual([]);
      const late = alerts.filter((a) => a.message.includes('cancel'));
      expect(late, race).toHaveLength(1);
      expect(late[0]!.message, race).toMatch(/^ITC: \w+C1 had already been cancelled when its cancel arrived/);
      const first = statuses.filter((s) => s.clientOrderId.endsWith('C1'));
      // The TWAP's own cancel (which one depends on where the market went), never the user's.
      expect(first.filter((s) => s.to === 'cancelled'), race).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^(replaced by the next slice|moved to the touch)$/) })]);
    }
  });

  it('is an alert when the order is still working at the broker, and the cancel is tried again', async () => {
    const world = newWorld();
    firstCancelGoesWrong(world, 'still working');
    const { alerts, statuses } = await run(world, 'symbol,target_quantity\nITC,1000\n');
    const failed = alerts.filter((a) => a.level !== 'info');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'warn', source: 'broker' });
    expect(failed[0]!.message).toMatch(/^ITC: cancel of \w+C1 failed \(connection reset while cancelling\); it is still working at the broker/);
    expect(statuses.filter((s) => s.clientOrderId.endsWith('C1')).at(-1)).toMatchObject({ to: 'cancelled', reason: 'replaced by the next slice' });
  });
});
