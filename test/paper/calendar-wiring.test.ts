import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBroker } from '../../src/app/open-broker.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { resetPaperAccount } from '../../src/brokers/paper/index.js';
import { openDatabase } from '../../src/app/database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the paper broker as ptexec opens it settles on the exchange calendar', () => {
  it('a Friday buy before the Republic Day holiday settles on Tuesday, not Monday', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-cal-'));
    dirs.push(dir);
    const store = openDatabase(join(dir, 'c.db'));
    // Friday 23 January 2026, 10:00 IST; Monday 26 January is an NSE holiday.
    const clock = new VirtualClock(Date.UTC(2026, 0, 23, 4, 30));
    resetPaperAccount(store.brokerTables('paper'), { cash: 100_000_000, now: clock.now() });
    const broker = await openBroker('paper', { store, clock, config: {} });
    await clock.run(broker.placeOrder({ clientOrderId: 'CAL1', symbol: 'ITC', exchange: 'NSE', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day', product: 'delivery' }));
    await clock.advance(5_000);
    const owned = async (b: typeof broker) => (await b.holdings()).find((h) => h.symbol === 'ITC');
    expect(await owned(broker)).toMatchObject({ quantity: 0, t1Quantity: 10 });
    await broker.close();
    // Later processes look at the same account on Monday (the holiday) and on Tuesday.
    const monday = await openBroker('paper', { store, clock: new VirtualClock(Date.UTC(2026, 0, 26, 5, 0)), config: {} });
    expect(await owned(monday)).toMatchObject({ quantity: 0, t1Quantity: 10 });
    await monday.close();
    const tuesday = await openBroker('paper', { store, clock: new VirtualClock(Date.UTC(2026, 0, 27, 5, 0)), config: {} });
    expect(await owned(tuesday)).toMatchObject({ quantity: 10, t1Quantity: 0 });
    await tuesday.close();
    store.close();
  });
});
