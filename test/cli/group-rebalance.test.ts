import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { resetPaperAccount } from '../../src/brokers/paper/index.js';
import { PAPER_UNIVERSE } from '../../src/brokers/paper/universe.js';
import { startKiteEmulator, type EmulatedInstrument, type KiteEmulator } from '../emulators/kite/index.js';
import { violations } from '../schemas/contract.js';
import { CliSandbox } from './cli-harness.js';

const SYMBOLS = ['RELIANCE', 'TCS', 'INFY', 'ITC'];
const INSTRUMENTS: EmulatedInstrument[] = SYMBOLS.map((symbol, i) => {
  const p = PAPER_UNIVERSE.find((x) => x.symbol === symbol && x.exchange === 'NSE')!;
  const last = p.referencePrice;
  return { token: 400_001 + i, symbol, exchange: 'NSE', name: p.name.toUpperCase(), tick: p.tickSize, lot: 1, bid: last - p.tickSize, ask: last + p.tickSize, last, close: last, volume: 5_000_000 };
});

type GroupJson = { group: string; mode: string; status: string; accounts: { alias: string; run_id: string; broker: string; account: string; status: string; results: { symbol: string; side: string; quantity: number; filled_quantity: number }[] }[] };

let emu: KiteEmulator;
let box: CliSandbox;
beforeEach(async () => {
  emu = await startKiteEmulator({ instruments: INSTRUMENTS, cash: 1_000_000_000 });
  box = new CliSandbox();
  box.extraEnv = { PTEXEC_ZERODHA_URL: emu.url, PTEXEC_ZERODHA_WS_URL: emu.wsUrl, PTEXEC_ZERODHA_API_KEY: emu.apiKey, PTEXEC_ZERODHA_ACCESS_TOKEN: 'emuaccesstoken0001' };
  mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
  const accounts = { kite: { broker: 'zerodha', role: 'primary' }, main: { broker: 'paper', account: 'MAIN' }, spouse: { broker: 'paper', account: 'SPOUSE' } };
  writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ accounts }));
  const store = openDatabase(box.db);
  resetPaperAccount(store.brokerTables('paper'), { account: 'MAIN', cash: 100_000_000, holdings: [{ symbol: 'TCS', quantity: 40 }] });
  resetPaperAccount(store.brokerTables('paper'), { account: 'SPOUSE', cash: 100_000_000 });
  store.close();
});
afterEach(async () => {
  box.cleanup();
  await emu.close();
});

describe('ptexec rebalance --accounts (a subprocess, Kite emulator and two paper accounts)', () => {
  it('runs one ordinary run per account under one group id, and runs lists the group', async () => {
    const risk = join(box.dir, 'risk.json');
    writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
    const file = join(box.dir, 'household.csv');
    writeFileSync(file, 'account,symbol,target_quantity\nkite,RELIANCE,20\nmain,TCS,10\nspouse,ITC,100\n');
    const r = await box.run(['rebalance', file, '--accounts', 'all', '--speed', 'max', '--yes', '--risk', risk, '--json'], { subprocess: true, timeoutMs: 90_000 });
    expect(r.stderr).not.toMatch(/bug|Error:/);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as GroupJson;
    expect(json).toMatchObject({ mode: 'per-account', status: 'completed' });
    expect(violations('rebalance.json', json)).toEqual([]);
    expect(json.accounts.map((a) => [a.alias, a.broker, a.status])).toEqual([
      ['kite', 'zerodha', 'completed'],
      ['main', 'paper', 'completed'],
      ['spouse', 'paper', 'completed'],
    ]);
    expect(json.accounts.flatMap((a) => a.results.map((l) => [a.alias, l.symbol, l.side, l.filled_quantity]))).toEqual([
      ['kite', 'RELIANCE', 'buy', 20],
      ['main', 'TCS', 'sell', 30],
      ['spouse', 'ITC', 'buy', 100],
    ]);
    const runs = JSON.parse((await box.run(['runs', '--json'])).stdout) as { runs: { run_id: string; group: string | null }[] };
    expect(runs.runs.map((x) => x.group)).toEqual([json.group, json.group, json.group]);
    const again = await box.run(['rebalance', file, '--accounts', 'all', '--speed', 'max', '--yes', '--risk', risk]);
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/already ran this target/);

    // A consolidated target is routed with config.json's routing policy (none: the default): TCS is sold where it is held.
    const household = join(box.dir, 'consolidated.csv');
    writeFileSync(household, 'symbol,target_quantity\nTCS,0\nRELIANCE,30\nITC,100\n');
    const dry = await box.run(['rebalance', household, '--accounts', 'main,spouse', '--speed', 'max', '--risk', risk, '--dry-run', '--json'], { subprocess: true, timeoutMs: 90_000 });
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout) as { mode: string; accounts: { alias: string; routes: { symbol: string; side: string; quantity: number; why: string }[] }[] };
    expect(plan.mode).toBe('consolidated');
    expect(violations('rebalance.json', plan)).toEqual([]);
    expect(plan.accounts.flatMap((a) => a.routes.filter((r) => r.symbol === 'TCS').map((r) => [a.alias, r.side, r.quantity]))).toEqual([['main', 'sell', 10]]);
    for (const a of plan.accounts) for (const r of a.routes) expect(r.why).not.toBe('');
  }, 120_000);
});
