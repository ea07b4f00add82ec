import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { refuseWithoutAfterMarket } from '../../src/app/after-market.js';
import type { Broker, BrokerCapabilities } from '../../src/brokers/broker.js';
import { ANGELONE_CAPABILITIES } from '../../src/brokers/angelone/capabilities.js';
import { FYERS_CAPABILITIES } from '../../src/brokers/fyers/capabilities.js';
import { GROWW_CAPABILITIES } from '../../src/brokers/groww/capabilities.js';
import { UPSTOX_CAPABILITIES } from '../../src/brokers/upstox/capabilities.js';
import { ZERODHA_CAPABILITIES } from '../../src/brokers/zerodha/capabilities.js';
import { executeRebalance, type RebalanceFlags } from '../../src/app/rebalance-command-service.js';
import { connectionOf } from '../../src/store/connection.js';
import type { Store } from '../../src/store/store.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { startHarness, waitFor, type Harness } from './harness.js';

const BASE: RebalanceFlags = { algo: 'market', yes: true, amo: true, 'liquidate-unlisted': false, 'new-run': false, 'allow-partial': false, 'no-ui': true };

let h: Harness | undefined;
let store: Store | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  store?.close();
  h = store = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sandbox(target: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-amo-'));
  dirs.push(dir);
  const file = join(dir, 'target.csv');
  writeFileSync(file, target);
  store = openDatabase(':memory:');
  const fake = fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') } });
  const f = new Factory(fake.io, { store, openedBroker: (id) => (id === 'zerodha' ? h?.broker : undefined) });
  return { f, file, ...fake };
}

describe('rebalance --amo', () => {
  it('on Kite every order goes out once as the amo variety, queued for the next session', async () => {
    h = await startHarness({ quotesPerSecond: 1000 });
    const box = sandbox('symbol,exchange,target_quantity\nINFY,NSE,25\n');
    const running = executeRebalance(box.f, { file: box.file, flags: { ...BASE, broker: 'zerodha' } });
    const placed = await waitFor(() => h!.emu.state.requests.find((r) => r.method === 'POST' && r.path.startsWith('/orders/')), 'the order to be placed');
    expect(placed.path).toBe('/orders/amo');
    expect(new URLSearchParams(placed.body).get('quantity')).toBe('10');
    // Queued until the next session: the run waits for it; stopping leaves it working, resumable.
    box.signals.emit('SIGINT');
    const result = await running;
    expect(result.exitCode).toBe(130);
    expect(h.emu.state.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/orders/')).map((r) => r.path)).toEqual(['/orders/amo']);
    expect((connectionOf(store!).prepare("SELECT options FROM runs").get() as { options: string }).options).toMatch(/"amo":true/);
  });

  it('is refused before anything is sent (exit 2) on the paper broker, which does not simulate them, and with a scheduled algorithm', async () => {
    const box = sandbox('symbol,target_quantity\nINFY,10\n');
    await expect(executeRebalance(box.f, { file: box.file, flags: { ...BASE, speed: 'max', seed: 1 } })).rejects.toMatchObject({
      category: 'invalid_input',
      message: expect.stringMatching(/--amo: the paper broker does not simulate after-market orders; nothing was sent/),
    });
    await expect(executeRebalance(box.f, { file: box.file, flags: { ...BASE, algo: 'twap' } })).rejects.toMatchObject({ category: 'invalid_input', message: expect.stringMatching(/--algo twap cannot be used with it/) });
    writeFileSync(box.file, 'symbol,target_quantity,algo\nINFY,10,vwap\n');
    await expect(executeRebalance(box.f, { file: box.file, flags: BASE })).rejects.toMatchObject({ category: 'invalid_input', message: expect.stringMatching(/algo vwap cannot be sent as an after-market order/) });
    expect(connectionOf(store!).prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
  });

  it('Groww, whose order API has no after-market flag, is refused the same way; the brokers that have one are not', () => {
    const broker = (id: string, capabilities: BrokerCapabilities) => ({ id, capabilities }) as Broker;
    expect(() => refuseWithoutAfterMarket(broker('groww', GROWW_CAPABILITIES))).toThrow(expect.objectContaining({ category: 'invalid_input', message: '--amo: groww takes no after-market orders; nothing was sent' }));
    for (const [id, capabilities] of [['zerodha', ZERODHA_CAPABILITIES], ['upstox', UPSTOX_CAPABILITIES], ['fyers', FYERS_CAPABILITIES], ['angelone', ANGELONE_CAPABILITIES]] as const) {
      expect(() => refuseWithoutAfterMarket(broker(id, capabilities))).not.toThrow();
    }
  });
});
