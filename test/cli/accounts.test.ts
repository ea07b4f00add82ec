import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_UNIVERSE } from '../../src/brokers/paper/universe.js';
import { startKiteEmulator, type EmulatedInstrument, type KiteEmulator } from '../emulators/kite/index.js';
import { violations } from '../schemas/contract.js';
import { CliSandbox } from './cli-harness.js';

/**
 * Three paper accounts in one simulated market (two in rupees, one in dollars) and a Zerodha
 * account on the Kite emulator, named in config.json `accounts`; each paper account traded a
 * run of its own. The read commands over several accounts must give, per account, exactly what
 * the command gives for that account alone, and add up amounts only within a currency.
 */
const TCS = PAPER_UNIVERSE.find((p) => p.symbol === 'TCS' && p.exchange === 'NSE')!;
const INSTRUMENTS: EmulatedInstrument[] = [
  { token: 100_001, symbol: 'TCS', exchange: 'NSE', name: 'TCS', tick: TCS.tickSize, lot: 1, bid: TCS.referencePrice - TCS.tickSize, ask: TCS.referencePrice + TCS.tickSize, last: TCS.referencePrice, close: TCS.referencePrice, volume: 5_000_000 },
];

const ACCOUNTS = {
  main: { broker: 'paper', account: 'MAIN', role: 'primary' },
  spouse: { broker: 'paper', account: 'SPOUSE', share: 0.3 },
  us: { broker: 'paper', account: 'US', role: 'backup', permissions: { sell: false } },
  kite: { broker: 'zerodha', account: 'ZX1234' },
};

let emu: KiteEmulator;
const box = new CliSandbox();
const configFile = join(box.dir, 'config', 'ptexec', 'config.json');

function writeConfig(config: Record<string, unknown>): void {
  mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
  writeFileSync(configFile, JSON.stringify(config, null, 2));
}

/** Trades a target in one paper account: the paper broker's default account is that account for the run. */
async function tradeIn(account: string, lines: string): Promise<void> {
  writeConfig({ accounts: ACCOUNTS, brokers: { paper: { account } } });
  const file = join(box.dir, `${account}.csv`);
  writeFileSync(file, lines);
  const r = await box.run(['rebalance', file, '--speed', 'max', '--seed', '7', '-y', '--no-ui']);
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  emu = await startKiteEmulator({ instruments: INSTRUMENTS, cash: 500_000_000, holdings: [{ symbol: 'TCS', exchange: 'NSE', quantity: 12, t1Quantity: 0, averagePrice: 300_000 }] });
  box.extraEnv = { PTEXEC_ZERODHA_URL: emu.url, PTEXEC_ZERODHA_WS_URL: emu.wsUrl, PTEXEC_ZERODHA_API_KEY: emu.apiKey, PTEXEC_ZERODHA_ACCESS_TOKEN: 'emuaccesstoken0001' };
  writeConfig({ accounts: ACCOUNTS });
  const reset = await box.run(['paper', 'reset', '--account', 'us', '--currency', 'USD', '--cash', '50000', '--yes']);
  expect(reset.code, reset.stderr).toBe(0);
  await tradeIn('MAIN', 'symbol,weight\nRELIANCE,0.1\nTCS,0.05\n');
  await tradeIn('SPOUSE', 'symbol,weight\nINFY,0.1\nTCS,0.05\n');
  await tradeIn('US', 'symbol,exchange,weight\nMSFT,NASDAQ,0.2\n');
  writeConfig({ accounts: ACCOUNTS });
}, 120_000);
afterAll(async () => {
  box.cleanup();
  await emu.close();
});

type Across<A, C> = { accounts: (A & { alias: string; broker: string; account: string | null })[]; consolidated: (C & { currency: string; accounts: string[] })[] };
const ALIASES = ['main', 'spouse', 'us', 'kite'];
const minor = (x: unknown) => x as number;

/** The single-account schema of each command, and whether its JSON names the broker and account itself. */
const SINGLE: Record<string, { schema: string; names: boolean }> = {
  positions: { schema: 'positions.json', names: true },
  pnl: { schema: 'pnl.json', names: false },
  settlement: { schema: 'settlement.json', names: false },
  reconcile: { schema: 'reconcile.json', names: true },
  tca: { schema: 'tca.json', names: false },
};

/** The envelope follows accounts.json, and each account's part its command's own schema once what names the account is set aside. */
function expectSchemas(command: string, all: Across<object, object>): void {
  expect(violations('accounts.json', all)).toEqual([]);
  const { schema, names } = SINGLE[command]!;
  for (const { alias: _alias, broker, account, ...own } of all.accounts) {
    if ('runs' in own && own.runs === 0) continue;
    expect(violations(schema, names ? { broker, account, ...own } : own), `${command} ${_alias}`).toEqual([]);
  }
}

/** Each account's part of `--accounts all` is what `--account <alias>` gives. */
async function expectSameAsEachAccount(args: string[], all: Across<object, object>, strip: (account: object) => object = (a) => a): Promise<void> {
  expect(all.accounts.map((a) => a.alias)).toEqual(ALIASES);
  expectSchemas(args[0]!, all);
  for (const section of all.accounts) {
    const one = await box.json<Across<object, object>>([...args, '--account', section.alias]);
    expect(one.body.accounts).toHaveLength(1);
    expect(strip(one.body.accounts[0]!)).toEqual(strip(section));
  }
}

describe('read commands over configured accounts (three paper accounts, one Kite account)', () => {
  it('brokers accounts lists each account with its role, permissions, share and whether its session is usable now', async () => {
    const r = await box.json<{ accounts: Record<string, unknown>[] }>(['brokers', 'accounts']);
    expect(r.code).toBe(0);
    expect(violations('brokers-accounts.json', r.body)).toEqual([]);
    expect(r.body.accounts.map((a) => [a.alias, a.broker, a.account, a.role, a.share, a.session, a.usable])).toEqual([
      ['main', 'paper', 'MAIN', 'primary', null, 'no login needed', true],
      ['spouse', 'paper', 'SPOUSE', 'secondary', 0.3, 'no login needed', true],
      ['us', 'paper', 'US', 'backup', null, 'no login needed', true],
      ['kite', 'zerodha', 'ZX1234', 'secondary', null, 'logged in', true],
    ]);
    expect(r.body.accounts[2]!.permissions).toEqual({ buy: true, sell: false, order_types: null, exchanges: null });
    const { PTEXEC_ZERODHA_ACCESS_TOKEN: _token, ...withoutToken } = box.extraEnv;
    const saved = box.extraEnv;
    box.extraEnv = withoutToken;
    try {
      const text = await box.run(['brokers', 'accounts']);
      expect(text.stdout).toMatch(/^kite +zerodha +ZX1234 +secondary +buy, sell +- +not logged in$/m);
      expect(text.stdout).toMatch(/^spouse +paper +SPOUSE +secondary +buy, sell +30\.0% +no login needed$/m);
    } finally {
      box.extraEnv = saved;
    }
  });

  it('positions: per account sections and totals per currency, USD never added to INR', async () => {
    type Line = { symbol: string; owned_quantity: number; average_price: string };
    const all = await box.json<Across<{ cash_minor: number; holdings_value_minor: number; currency: string; positions: Line[] }, { cash_minor: number; holdings_value_minor: number; total_minor: number }>>(['positions', '--accounts', 'all']);
    expect(all.code).toBe(0);
    // Prices move with the paper market's clock between two commands: compare what does not (cash, quantities, costs).
    await expectSameAsEachAccount(['positions'], all.body, (a) => {
      const p = a as { cash_minor: number; currency: string; positions: Line[] };
      return { cash: p.cash_minor, currency: p.currency, lines: p.positions.map((l) => [l.symbol, l.owned_quantity, l.average_price]) };
    });
    expect(all.body.consolidated.map((c) => [c.currency, c.accounts])).toEqual([
      ['INR', ['main', 'spouse', 'kite']],
      ['USD', ['us']],
    ]);
    for (const c of all.body.consolidated) {
      const mine = all.body.accounts.filter((a) => a.currency === c.currency);
      expect(c.cash_minor).toBe(mine.reduce((n, a) => n + a.cash_minor, 0));
      expect(c.holdings_value_minor).toBe(mine.reduce((n, a) => n + a.holdings_value_minor, 0));
      expect(c.total_minor).toBe(c.cash_minor + c.holdings_value_minor);
    }
    const tcs = (all.body.consolidated[0] as unknown as { positions: (Line & { accounts: string[] })[] }).positions.find((l) => l.symbol === 'TCS')!;
    expect(tcs.accounts).toEqual(['main', 'spouse', 'kite']);
    expect(tcs.owned_quantity).toBe(all.body.accounts.flatMap((a) => a.positions).filter((l) => l.symbol === 'TCS').reduce((n, l) => n + l.owned_quantity, 0));
    const text = await box.run(['positions', '--accounts', 'main,us']);
    expect(text.stdout).toMatch(/^── main \(paper, account MAIN\)$/m);
    expect(text.stdout).toMatch(/^── us \(paper, account US\)$/m);
    expect(text.stdout).toContain('── Consolidated, per currency (INR and USD are never added together)');
    expect(text.stdout).toMatch(/^INR +main +/m);
    expect(text.stdout).toMatch(/^USD +us +/m);
  });

  it('pnl: each account as pnl --account gives it, totals per currency', async () => {
    const all = await box.json<Across<{ totals: { currency: string; total_minor: number; realised_minor: number }[] }, { total_minor: number; charges_minor: number }>>(['pnl', '--accounts', 'all']);
    expect(all.code).toBe(0);
    await expectSameAsEachAccount(['pnl'], all.body);
    expect(all.body.consolidated.map((c) => [c.currency, c.accounts])).toEqual([
      ['INR', ['main', 'spouse']],
      ['USD', ['us']],
    ]);
    for (const c of all.body.consolidated) {
      const totals = all.body.accounts.flatMap((a) => a.totals).filter((t) => t.currency === c.currency);
      expect(c.total_minor).toBe(totals.reduce((n, t) => n + t.total_minor, 0));
    }
    // The broker-wide ledger (today's pnl --broker paper) holds the same INR P&L as the two rupee paper accounts.
    const broker = await box.json<{ totals: { currency: string; total_minor: number }[] }>(['pnl', '--broker', 'paper']);
    expect(broker.body.totals.find((t) => t.currency === 'INR')!.total_minor).toBe(all.body.consolidated[0]!.total_minor);
    expect(broker.body).not.toHaveProperty('accounts');
  });

  it('settlement: each account as settlement --account gives it, cash due per currency and day', async () => {
    const all = await box.json<Across<{ trades: { currency: string; cash_minor: number }[] }, { trades: number; cash_minor: number; days: { cash_minor: number }[] }>>(['settlement', '--accounts', 'all']);
    expect(all.code).toBe(0);
    await expectSameAsEachAccount(['settlement'], all.body);
    for (const c of all.body.consolidated) {
      const trades = all.body.accounts.flatMap((a) => a.trades).filter((t) => t.currency === c.currency);
      expect(c.trades).toBe(trades.length);
      expect(c.cash_minor).toBe(trades.reduce((n, t) => n + t.cash_minor, 0));
      expect(c.days.reduce((n, d) => n + d.cash_minor, 0)).toBe(c.cash_minor);
    }
    expect(all.body.consolidated.map((c) => c.currency)).toEqual(['INR', 'USD']);
  });

  it('reconcile: paper accounts match, the Kite account holds shares bought outside ptexec (exit 4), each as reconcile --account gives it', async () => {
    const all = await box.json<Across<{ matches: boolean; cash: { currency: string; ours_minor: number } }, { matching: string[]; differences: number; cash: { ours_minor: number } }>>(['reconcile', '--accounts', 'all']);
    expect(all.code).toBe(4);
    expect(all.body.accounts.map((a) => [a.alias, a.matches])).toEqual([
      ['main', true],
      ['spouse', true],
      ['us', true],
      ['kite', false],
    ]);
    await expectSameAsEachAccount(['reconcile'], all.body);
    const inr = all.body.consolidated.find((c) => c.currency === 'INR')!;
    expect(inr.matching).toEqual(['main', 'spouse']);
    expect(inr.cash.ours_minor).toBe(all.body.accounts.filter((a) => a.cash.currency === 'INR').reduce((n, a) => n + a.cash.ours_minor, 0));
    const paperOnly = await box.run(['reconcile', '--accounts', 'main,spouse,us']);
    expect(paperOnly.code).toBe(0);
    expect(paperOnly.stdout).toMatch(/every account matches/);
  });

  it('tca and tca --group-by: each account as tca --account gives it; totals and groups per currency', async () => {
    const all = await box.json<Across<{ run_id?: string; runs?: number }, { legs: number }>>(['tca', '--accounts', 'all']);
    expect(all.code).toBe(0);
    await expectSameAsEachAccount(['tca'], all.body);
    expect(all.body.accounts.find((a) => a.alias === 'kite')).toMatchObject({ runs: 0 });
    expect(all.body.consolidated.map((c) => [c.currency, c.accounts, c.legs])).toEqual([
      ['INR', ['main', 'spouse'], 4],
      ['USD', ['us'], 1],
    ]);
    const grouped = await box.json<Across<{ groups: { key: string; legs: number }[] }, { runs: number; groups: { key: string; currency: string; legs: number }[] }>>(['tca', '--accounts', 'all', '--group-by', 'broker']);
    await expectSameAsEachAccount(['tca', '--group-by', 'broker'], grouped.body);
    expect(grouped.body.consolidated.map((c) => [c.currency, c.runs, c.groups.map((g) => [g.key, g.currency, g.legs])])).toEqual([
      ['INR', 2, [['paper', 'INR', 4]]],
      ['USD', 1, [['paper', 'USD', 1]]],
    ]);
    const mainRun = (all.body.accounts[0] as { run_id: string }).run_id;
    const ofMain = await box.json<Across<{ run_id: string }, object>>(['tca', mainRun, '--account', 'main']);
    expect(ofMain.body.accounts[0]!.run_id).toBe(mainRun);
    const elsewhere = await box.run(['tca', mainRun, '--account', 'spouse']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain(`run ${mainRun} traded paper account MAIN, not paper account SPOUSE`);
    const csv = await box.run(['tca', '--accounts', 'main,us', '--csv']);
    expect(csv.stdout.trimEnd().split('\n').map((l) => l.split(',')[0])).toEqual(['account', 'main', 'main', 'us']);
  });

  it('paper show and paper reset work on a configured paper account; other brokers’ accounts are refused', async () => {
    const us = await box.json<{ account: string; currency: string }>(['paper', 'show', '--account', 'us']);
    expect(us.body).toMatchObject({ account: 'US', currency: 'USD' });
    const kite = await box.run(['paper', 'reset', '--account', 'kite', '--yes']);
    expect(kite.code).toBe(2);
    expect(kite.stderr).toMatch(/account kite is at zerodha, not the paper broker/);
  });

  it('refuses an unknown alias, both flags at once, and a --broker that is not the account’s (exit 2)', async () => {
    const unknown = await box.run(['pnl', '--accounts', 'main,nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown account nobody/);
    expect(unknown.stderr).toMatch(/configured accounts: main, spouse, us, kite/);
    for (const args of [['positions', '--account', 'ghost'], ['tca', '--account', 'ghost'], ['reconcile', '--accounts', 'ghost'], ['settlement', '--account', 'ghost'], ['paper', 'show', '--account', 'ghost']]) {
      const r = await box.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/unknown account ghost/);
    }
    const both = await box.run(['positions', '--account', 'main', '--accounts', 'all']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--account and --accounts cannot be used together/);
    const disagree = await box.run(['settlement', '--accounts', 'main,kite', '--broker', 'paper']);
    expect(disagree.code).toBe(2);
    expect(disagree.stderr).toMatch(/--broker paper disagrees with account kite \(at zerodha\)/);
    const agree = await box.json<Across<object, object>>(['pnl', '--account', 'main', '--broker', 'paper']);
    expect(agree.code).toBe(0);
    const runOfAll = await box.run(['tca', 'abc', '--accounts', 'all']);
    expect(runOfAll.code).toBe(2);
    expect(runOfAll.stderr).toMatch(/a run id goes with --account, not --accounts/);
  });

  it('a Kite session logged in to another account than the configured one is refused (exit 2)', async () => {
    writeConfig({ accounts: { ...ACCOUNTS, kite: { broker: 'zerodha', account: 'AB9999' } } });
    try {
      const r = await box.run(['positions', '--account', 'kite']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/zerodha is logged in to account ZX1234, not AB9999/);
    } finally {
      writeConfig({ accounts: ACCOUNTS });
    }
  });

  it('end to end in a process of its own: positions over two accounts in two currencies', async () => {
    const r = await box.run(['positions', '--accounts', 'spouse,us'], { subprocess: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^── spouse \(paper, account SPOUSE\)$/m);
    expect(r.stdout).toMatch(/^paper account US$/m);
    expect(r.stdout).toMatch(/^INR +spouse +/m);
    expect(r.stdout).toMatch(/^USD +us +/m);
  });
});

describe('without an accounts section', () => {
  it('--account is refused with how to configure accounts (exit 2); the commands without it work as before', async () => {
    const bare = new CliSandbox();
    try {
      const r = await bare.run(['pnl', '--account', 'main']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no accounts are configured/);
      const before = await bare.json<Record<string, unknown>>(['pnl']);
      expect(before.code).toBe(0);
      expect(Object.keys(before.body)).toEqual(['positions', 'totals', 'notes']);
      const list = await bare.run(['brokers', 'accounts']);
      expect(list.code).toBe(0);
      expect(list.stderr).toMatch(/no accounts are configured/);
    } finally {
      bare.cleanup();
    }
  });
});
