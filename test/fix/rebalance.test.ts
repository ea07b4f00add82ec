import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { configReport } from '../../src/app/config-report.js';
import { Factory } from '../../src/app/factory.js';
import { storePorts } from '../../src/app/factory/store-ports.js';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import type { FixBroker } from '../../src/brokers/fix/fix-broker.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { RebalanceService } from '../../src/engine/rebalance/rebalance-service.js';
import { describeError } from '../../src/lib/errors.js';
import { ExitCode } from '../../src/lib/exit-codes.js';
import { tradingDate } from '../../src/market/exchange-time.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { NO_LIMITS_SECTION, noLimits } from '../support/no-limits.js';
import { type FixEmulator, startFixEmulator } from '../emulators/fix/index.js';

let emu: FixEmulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  emu = undefined;
  dir = undefined;
});

/** A config with one FIX session, `desk`, on the emulator; its password only in the environment. */
function sandbox(e: FixEmulator) {
  dir = mkdtempSync(join(tmpdir(), 'ptexec-fix-e2e-'));
  const accountFile = join(dir, 'account.json');
  writeFileSync(accountFile, JSON.stringify({ cash: 1_000_000 }));
  mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
  const session = { host: e.host, port: e.port, sender_comp_id: e.compIds.initiator, target_comp_id: e.compIds.acceptor, currency: 'INR', exchange: 'NSE', account: 'DESK1', account_file: accountFile, timeout_ms: 1_000 };
  writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ risk: NO_LIMITS_SECTION, brokers: { fix: { sessions: { desk: session } } } }));
  return { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), PTEXEC_FIX_DESK_PASSWORD: e.password };
}

describe('--broker fix:<session>', () => {
  it('names the configured sessions when the session is unknown, or missing', async () => {
    emu = await startFixEmulator();
    const store = openDatabase(':memory:');
    const factory = new Factory(fakeIO({ env: sandbox(emu) }).io, { store });
    for (const [id, message] of [['fix:unknown', /no fix session "unknown" is configured/], ['fix', /"fix" needs a session: --broker fix:<session>/]] as const) {
      const report = describeError(await factory.chooseBroker(id).catch((e: unknown) => e));
      expect(report.exitCode).toBe(ExitCode.usage);
      expect(report.message).toMatch(message);
      expect(JSON.stringify(report)).toContain('configured sessions: fix:desk');
    }
    expect(await factory.chooseBroker('fix:desk')).toBe('fix:desk');
    await factory.close();
    // `ptexec config` shows each session as the adapter resolves it, and no password.
    const env = sandbox(emu);
    const values = configReport({ env }).values;
    expect(values.find((v) => v.key === 'brokers.fix.sessions.desk.heartbeat_seconds')).toMatchObject({ value: 30 });
    expect(JSON.stringify(values)).not.toContain(emu.password);
  });

  it('rebalances through a session that drops mid-order: the order booked before the drop is found by ClOrdID, nothing is sent twice, and the sequence numbers recover', async () => {
    emu = await startFixEmulator({ matchIntervalMs: 20, partialFills: true });
    const store = openDatabase(':memory:');
    const factory = new Factory(fakeIO({ env: sandbox(emu) }).io, { store });
    const broker = (await factory.broker('fix:desk')) as FixBroker;
    expect(broker.id).toBe('fix:desk');
    const service = new RebalanceService({ log: store, ...storePorts(store), broker, clock: new WallClock(), risk: { config: noLimits() } });
    const text = 'symbol,exchange,target_quantity\nINFY,NSE,25\nSBIN,NSE,8\n';
    const checked = await service.plan({ target: parseTargetPortfolio(text, 'desk.csv'), targetText: text, source: 'desk.csv', tradingDate: tradingDate('NSE', Date.now()), dryRun: false, planOptions: { defaultExecution: { algo: 'market', orderType: 'market', params: {} } }, options: {} });
    if (checked.kind !== 'checked') throw new Error(`planned ${checked.kind}`);
    // The first NewOrderSingle is booked and the connection drops before its report; a later report is lost in a sequence gap.
    emu.faults.bookThenReset();
    emu.faults.gap(1);
    const outcome = await service.execute(checked);
    service.release();
    expect(outcome.status, outcome.reason ?? '').toBe('completed');
    const booked = emu.exchange.orders();
    const byClientRef = new Map<string, number>();
    for (const o of booked) byClientRef.set(o.clientRef!, (byClientRef.get(o.clientRef!) ?? 0) + 1);
    expect([...byClientRef.values()].every((n) => n === 1), 'an order sent twice').toBe(true);
    const filled = (symbol: string) => booked.filter((o) => o.symbol === symbol).reduce((s, o) => s + o.filled, 0);
    // INFY: 10 held + 5 at T+1 → 25 buys 10; SBIN: none held → 8.
    expect([filled('INFY'), filled('SBIN')]).toEqual([10, 8]);
    const trades = await broker.trades();
    expect(new Set(trades.map((t) => t.tradeId)).size).toBe(trades.length);
    expect(trades.reduce((s, t) => s + t.quantity, 0)).toBe(18);
    // Both sides agree on the next sequence numbers after the reconnect and the resend.
    await broker.resync('test');
    expect(emu.sequences().nextIn).toBe(broker.fixSession.sequences().nextOut);
    expect(emu.sequences().nextOut).toBe(broker.fixSession.sequences().nextIn);
    await factory.close();
  });
});
