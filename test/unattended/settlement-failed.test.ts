import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { confirmDueSettlements } from '../../src/app/broker-account-service.js';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { storePorts } from '../../src/app/factory/store-ports.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { RebalanceService } from '../../src/engine/rebalance/rebalance-service.js';
import { rebalanceRequest } from '../engine/world.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { noLimits } from '../support/no-limits.js';
import { type Harness, startHarness } from '../zerodha/harness.js';
import { webhookReceiver, type Receiver } from './notify-receivers.js';

const SECRET = 'settlement-webhook-secret';
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

// A buy made on Kite a week ago whose shares are still T1 long after its settlement date has
// failed to settle: `settlement --confirm` records it as failed and notifies `settlement.failed`.
describe('a failed settlement', () => {
  it('is recorded by settlement --confirm and notified', async () => {
    const weekAgo = Date.now() - 7 * 86_400_000;
    const h: Harness = await startHarness({ holdings: [], quotesPerSecond: 1000, marketNow: () => weekAgo });
    // The factory closes the adapter it was given; a second close is harmless here.
    cleanup.push(async () => {
      await h.broker.close().catch(() => undefined);
      await h.emu.close();
    });
    await h.broker.connect();
    const webhook: Receiver = await webhookReceiver(SECRET);
    cleanup.push(() => webhook.close());
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-settle-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = openDatabase(join(dir, 's.db'));
    cleanup.push(() => store.close());

    // The buy, a week ago by the exchange's clock; the next day Kite shows it as T1 and never settles it.
    const service = new RebalanceService({ log: store, ...storePorts(store), broker: h.broker, clock: new WallClock(), risk: { config: noLimits() }, runtimeOptions: { pollMs: 20 } });
    const checked = await service.plan(rebalanceRequest('symbol,target_quantity\nINFY,4\n'));
    if (checked.kind !== 'checked') throw new Error(`planned ${checked.kind}`);
    expect((await service.execute(checked)).status).toBe('completed');
    service.release();
    h.emu.state.exchange.nextDay();
    expect(h.emu.state.exchange.holdings.map((x) => [x.symbol, x.quantity, x.t1Quantity])).toEqual([['INFY', 0, 4]]);

    mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ notify: { webhook: { url: webhook.url, events: ['settlement.failed'] } } }));
    const { io } = fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), PTEXEC_NOTIFY_WEBHOOK_SECRET: SECRET } });
    const f = new Factory(io, { store, openedBroker: (id) => (id === 'zerodha' ? h.broker : undefined) });
    expect(await confirmDueSettlements(f, 'zerodha')).toEqual({ broker: 'zerodha', checked: 2, failed: 2 }); // the emulator fills the order in two trades
    await f.close();

    expect(webhook.refused).toEqual([]);
    expect(webhook.received.map((r) => (r.json as { event: string }).event)).toEqual(['settlement.failed']);
    expect(webhook.received[0]!.json).toMatchObject({ event: 'settlement.failed', broker: 'zerodha' });
    expect(store.events({ types: ['notification.sent'] })).toHaveLength(1);
  });
});
