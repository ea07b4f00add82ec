import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Factory } from '../../src/app/factory.js';
import { resetPaperAccount } from '../../src/brokers/paper/index.js';
import type { Broker } from '../../src/brokers/broker.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { fakeIO } from '../lib/fake-terminal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the paper broker as ptexec opens it settles on the exchange calendar', () => {
  it('a Friday buy before the Republic Day holiday settles on Tuesday, not Monday', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-cal-'));
    dirs.push(dir);
    const env = { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
    const store = openDatabase(join(dir, 'c.db'));
    /** A process started at `wallNow`, with the paper market on a virtual clock (--speed max). */
    const processAt = (wallNow: number) => new Factory(fakeIO({ env }).io, { store, wallClock: () => wallNow });
    // Friday 23 January 2026, 10:00 IST; Monday 26 January is an NSE holiday.
    const friday = Date.UTC(2026, 0, 23, 4, 30);
    resetPaperAccount(store.brokerTables('paper'), { cash: 100_000_000, now: friday });
    const first = processAt(friday);
    const { clock, drive } = await first.clock('paper', 'max');
    expect(clock.now()).toBeLessThan(Date.UTC(2026, 0, 24));
    const broker = await first.broker('paper', { speed: 'max' });
    await drive(broker.placeOrder({ clientOrderId: 'CAL1', symbol: 'ITC', exchange: 'NSE', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day', product: 'delivery' }));
    await drive(clock.sleep(5_000));
    const owned = async (b: Broker) => (await b.holdings()).find((h) => h.symbol === 'ITC');
    expect(await owned(broker)).toMatchObject({ quantity: 0, t1Quantity: 10 });
    await first.close();
    // Later processes look at the same account on Monday (the holiday) and on Tuesday.
    const monday = processAt(Date.UTC(2026, 0, 26, 5, 0));
    expect(await owned(await monday.broker('paper', { speed: 'max' }))).toMatchObject({ quantity: 0, t1Quantity: 10 });
    await monday.close();
    const tuesday = processAt(Date.UTC(2026, 0, 27, 5, 0));
    expect(await owned(await tuesday.broker('paper', { speed: 'max' }))).toMatchObject({ quantity: 10, t1Quantity: 0 });
    await tuesday.close();
    store.close();
  });
});
