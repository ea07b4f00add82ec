import { afterEach, describe, expect, it } from 'vitest';
import { clockFor } from '../../src/app/clock-for.js';
import { paperMarketTime } from '../../src/brokers/paper/index.js';
import { VirtualClock, WallClock } from '../../src/engine/clock/index.js';
import { harness, MONDAY_MORNING, order, placeAndWait, type Harness } from './helpers.js';

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
      const { clock } = clockFor('paper', speed, h.store, wall);
      expect(clock.now(), `--speed ${speed}`).toBeGreaterThan(paperMarketTime(h.store.brokerTables('paper')));
      expect(clock.now(), `--speed ${speed}`).toBeLessThan(reached + 60_000);
    }
    // The wall clock wins when it is later; real brokers always run on it.
    expect(clockFor('paper', 'max', h.store, ahead + 10 * DAY).clock.now()).toBe(ahead + 10 * DAY);
    expect(clockFor('zerodha', undefined, h.store, wall).clock).toBeInstanceOf(WallClock);
    expect(Math.abs(clockFor('zerodha', undefined, h.store, wall).clock.now() - Date.now())).toBeLessThan(5_000);
  });

  it('starts after the latest market time of the event log too (a run that stopped before the broker wrote)', () => {
    h = harness({ clock: new VirtualClock(MONDAY_MORNING) });
    const last = MONDAY_MORNING + 5 * DAY;
    h.store.append({ runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: 'm' }, marketTs: last });
    expect(clockFor('paper', 'max', h.store, MONDAY_MORNING).clock.now()).toBe(last + 1);
  });

  it('runs a start time at N× real time from there', () => {
    const start = Date.now() + 3 * DAY;
    const clock = new WallClock(60, start);
    expect(clock.now()).toBeGreaterThanOrEqual(start);
    expect(clock.now()).toBeLessThan(start + 60 * 5_000);
    expect(Math.abs(new WallClock(1, start).now() - start)).toBeLessThan(5_000);
  });
});
