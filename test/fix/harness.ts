import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixSessionSettings, FixSessionSchema } from '../../src/brokers/fix/config.js';
import { FixBroker, type FixBrokerOptions } from '../../src/brokers/fix/fix-broker.js';
import { FixStore } from '../../src/brokers/fix/fix-store.js';
import type { BrokerTables } from '../../src/domain/broker-tables.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { openDatabase } from '../../src/app/database.js';
import type { FixEmulator } from '../emulators/fix/index.js';

/** The session settings that point at an emulator (plain TCP, its CompIDs), with an account file holding `cash` (major units). */
export function emulatorSession(emu: FixEmulator, overrides: Partial<FixSessionSettings> & { cash?: number } = {}): FixSessionSettings {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-fix-'));
  const accountFile = join(dir, 'account.json');
  writeFileSync(accountFile, JSON.stringify({ cash: overrides.cash ?? 1_000_000 }));
  const { cash: _cash, ...rest } = overrides;
  return FixSessionSchema.parse({
    host: emu.host,
    port: emu.port,
    sender_comp_id: emu.compIds.initiator,
    target_comp_id: emu.compIds.acceptor,
    currency: 'INR',
    exchange: 'NSE',
    account: 'KIT01',
    account_file: accountFile,
    ...rest,
  });
}

/** A FIX broker on the emulator over `tables` (a fresh in-memory database when absent). */
export function emulatorBroker(emu: FixEmulator, options: Partial<Omit<FixBrokerOptions, 'settings'>> & { settings?: Partial<FixSessionSettings> & { cash?: number }; tables?: BrokerTables } = {}): FixBroker {
  const tables = options.tables ?? openDatabase(':memory:').brokerTables('fix');
  return new FixBroker({
    session: options.session ?? 'kit',
    settings: emulatorSession(emu, options.settings),
    store: options.store ?? new FixStore(tables, options.session ?? 'kit'),
    clock: options.clock ?? new WallClock(),
    password: options.password ?? emu.password,
    reconnect: options.reconnect ?? { baseMs: 20, maxMs: 100 },
    random: options.random ?? (() => 0.5),
    rateLimit: options.rateLimit,
    heartbeatMs: options.heartbeatMs,
  });
}
