import { afterEach, describe, expect, it } from 'vitest';
import { Factory } from '../../src/app/factory.js';
import { paperMarketTime } from '../../src/brokers/paper/index.js';
import { VirtualClock, WallClock } from '../../src/engine/clock/index.js';
import type { Store } from '../../src/store/store.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { harness, MONDAY_MORNING, order, placeAndWait, type Harness } from './helpers.js';

/** The engine's clock as a new process with this wall clock would build it. */
const clockFor = (brokerId: string, speed: string | undefined, store: Store, wallNow: number) => new Factory(fakeIO().io, { store, wallClock: () => wallNow }).clock(brokerId, speed);

const DAY = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.broker.close();
  h?.store.close();
  h = undefined;
});

describe('the paper market clock', () => {
  it('remembers the latest market time its account reached, and a new process starts after it', async () => {
    // A simulated market two days ahead of the "wall clock" below.
    const ahead = MONDAY_MORNING + 2 * DAY;
    h = harness({ clock: new VirtualClock(ahead) });
    expect(paperMarketTime(h.store.brokerTables('paper'))).toBeLessThanOrEqual(ahead);
    await placeAndWait(h, order({ quantity: 5 }));
    const reached = h.clock.now();
    expect(paperMarketTime(h.store.brokerTables('paper'))).toBeGreaterThan(ahead);
    expect(paperMarketTime(h.store.brokerTables('paper'))).toBeLessThanOrEqual(reached);

    const wall = MONDAY_MORNING;
    for (const speed of ['max', '60', '1', undefined]) {
      const { clock } = await clockFor('paper', speed, h.store, wall);
      expect(clock.now(), `--speed ${speed}`).toBeGreaterThan(paperMarketTime(h.store.brokerTables('paper')));
      expect(clock.now(), `--speed ${speed}`).toBeLessThan(reached + 60_000);
    }
    // The wall clock wins when it is later; real brokers always run on it.
    expect((await clockFor('paper', 'max', h.store, ahead + 10 * DAY)).clock.now()).toBe(ahead + 10 * DAY);
    expect((await clockFor('zerodha', undefined, h.store, wall)).clock).toBeInstanceOf(WallClock);
    expect(Math.abs((await clockFor('zerodha', undefined, h.store, wall)).clock.now() - Date.now())).toBeLessThan(5_000);
  });

  it('starts after the latest market time of the event log too (a run that stopped before the broker wrote)', async () => {
    h = harness({ clock: new VirtualClock(MONDAY_MORNING) });
    const last = MONDAY_MORNING + 5 * DAY;
    h.store.append({ runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: 'm' }, marketTs: last });
    expect((await clockFor('paper', 'max', h.store, MONDAY_MORNING)).clock.now()).toBe(last + 1);
  });

  it('runs a start time at N× real time from there', () => {
    const start = Date.now() + 3 * DAY;
    const clock = new WallClock(60, start);
    expect(clock.now()).toBeGreaterThanOrEqual(start);
    expect(clock.now()).toBeLessThan(start + 60 * 5_000);
    expect(Math.abs(new WallClock(1, start).now() - start)).toBeLessThan(5_000);
  });
});
