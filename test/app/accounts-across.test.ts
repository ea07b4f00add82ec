import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAccounts } from '../../src/app/accounts/account-list.js';
import { selectedAccounts } from '../../src/app/accounts/account-selection.js';
import { pnlAcrossAccounts } from '../../src/app/accounts/pnl-across-accounts.js';
import { renderPnlAcross } from '../../src/app/accounts/pnl-across-view.js';
import { positionsAcrossAccounts } from '../../src/app/accounts/positions-across-accounts.js';
import { reconcileAcrossAccounts } from '../../src/app/accounts/reconcile-across-accounts.js';
import { reconcileWithBroker } from '../../src/app/broker-account-service.js';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { resetPaper } from '../../src/app/paper-account-service.js';
import { profitAndLoss } from '../../src/app/post-trade-service.js';
import { executeRebalance } from '../../src/app/rebalance-command-service.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import type { Store } from '../../src/store/store.js';
import { fakeIO } from '../lib/fake-terminal.js';

/** Two rupee paper accounts and a dollar one, each after a run of its own, in one simulated market. */
const ACCOUNTS = {
  inr1: { broker: 'paper', account: 'A1', role: 'primary' },
  inr2: { broker: 'paper', account: 'A2' },
  usd: { broker: 'paper', account: 'U1', role: 'backup' },
  kite: { broker: 'zerodha', account: 'ZX1234', permissions: { sell: false } },
};

const dir = mkdtempSync(join(tmpdir(), 'ptexec-accounts-'));
const env = { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
let store: Store;

function writeConfig(config: Record<string, unknown>): void {
  mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
  writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify(config));
}

/** A factory over the test's database, reading config.json afresh. */
function factory(json = false) {
  const terminal = fakeIO({ env, json });
  return { f: new Factory(terminal.io, { store }), ...terminal };
}

async function tradeIn(account: string, lines: string): Promise<void> {
  writeConfig({ accounts: ACCOUNTS, brokers: { paper: { account } } });
  const file = join(dir, `${account}.csv`);
  writeFileSync(file, lines);
  const { f } = factory(true);
  try {
    const result = await executeRebalance(f, { file, flags: { algo: 'market', yes: true, 'liquidate-unlisted': false, 'new-run': false, 'allow-partial': false, 'no-ui': true, speed: 'max', seed: 11 } });
    expect(result.exitCode).toBe(0);
  } finally {
    await f.close();
  }
}

beforeAll(async () => {
  store = openDatabase(join(dir, 'ptexec.db'));
  await tradeIn('A1', 'symbol,weight\nRELIANCE,0.1\nITC,0.05\n');
  await tradeIn('A2', 'symbol,weight\nITC,0.08\n');
  writeConfig({ accounts: ACCOUNTS });
  const { f } = factory();
  await resetPaper(f, { account: 'usd', currency: 'USD', cash: '25000', holdings: ['AAPL=5@250'], yes: true });
  await f.close();
  await tradeIn('U1', 'symbol,exchange,weight\nMSFT,NASDAQ,0.2\n');
  writeConfig({ accounts: ACCOUNTS });
}, 60_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const paperOnly = { accounts: 'inr1,inr2,usd' };

describe('read use cases over configured accounts', () => {
  it('pnl: each account’s section is the single-account report; rupees and dollars are totalled apart, and drawn under their aliases', async () => {
    const { f, stdout } = factory();
    try {
      const across = await pnlAcrossAccounts(f, (await selectedAccounts(f, paperOnly))!, {});
      expect(across.sections.map((s) => [s.alias, s.broker, s.account])).toEqual([
        ['inr1', 'paper', 'A1'],
        ['inr2', 'paper', 'A2'],
        ['usd', 'paper', 'U1'],
      ]);
      for (const s of across.sections) expect(s.result).toEqual(await profitAndLoss(f, { broker: 'paper', account: s.account! }));
      const inr = across.consolidated.find((c) => c.currency === 'INR')!;
      expect(inr.accounts).toEqual(['inr1', 'inr2']);
      const inrTotals = across.sections.flatMap((s) => s.result.totals).filter((t) => t.currency === 'INR');
      expect(inr.total).toBe(inrTotals.reduce((n, t) => n + t.total, 0));
      expect(inr.charges).toBeGreaterThan(0);
      // The dollar account's P&L is a USD line of its own, never part of the rupee total.
      expect(across.consolidated.map((c) => c.currency)).toEqual(['INR', 'USD']);
      expect(across.consolidated[1]).toMatchObject({ accounts: ['usd'], total: across.sections[2]!.result.totals[0]!.total });
      renderPnlAcross(f.io, across);
      const text = stdout.text();
      expect(text).toMatch(/^── inr1 \(paper, account A1\)$/m);
      expect(text).toMatch(/^── usd \(paper, account U1\)$/m);
      expect(text).toContain('── Consolidated, per currency (INR and USD are never added together)');
      expect(text).toMatch(/^INR +inr1, inr2 /m);
    } finally {
      await f.close();
    }
  });

  it('positions: a dollar holding stays in the USD total; the INR total is the rupee accounts’ cash and holdings', async () => {
    const { f } = factory();
    try {
      const across = await positionsAcrossAccounts(f, (await selectedAccounts(f, paperOnly))!);
      expect(across.consolidated.map((c) => [c.currency, c.accounts])).toEqual([
        ['INR', ['inr1', 'inr2']],
        ['USD', ['usd']],
      ]);
      const [inr, usd] = across.consolidated;
      expect(usd!.cash).toBe(across.sections[2]!.result.cash);
      expect(usd!.holdings.map((h) => h.symbol)).toEqual(['AAPL', 'MSFT']);
      expect(inr!.holdings.map((h) => h.symbol)).not.toContain('AAPL');
      expect(inr!.cash).toBe(across.sections[0]!.result.cash + across.sections[1]!.result.cash);
      // ITC was bought in both rupee accounts: one consolidated line holding both quantities.
      const itc = inr!.holdings.find((h) => h.symbol === 'ITC')!;
      expect(itc.accounts).toEqual(['inr1', 'inr2']);
      expect(itc.quantity).toBe(across.sections.slice(0, 2).flatMap((s) => s.result.lines).filter((l) => l.o.symbol === 'ITC').reduce((n, l) => n + l.o.quantity, 0));
    } finally {
      await f.close();
    }
  });

  it('reconcile: the same comparison as for one account; a rupee account changed outside ptexec makes the whole answer exit 4', async () => {
    const { f } = factory();
    try {
      const matching = await reconcileAcrossAccounts(f, (await selectedAccounts(f, paperOnly))!, false);
      expect(matching.consolidated.map((c) => [c.currency, c.matching])).toEqual([
        ['INR', ['inr1', 'inr2']],
        ['USD', ['usd']],
      ]);
      expect(matching.exitCode).toBe(0);
      // Shares given to inr2 outside ptexec: a reset with a holding ptexec never bought.
      await resetPaper(f, { account: 'inr2', currency: 'INR', holdings: ['TCS=3'], yes: true });
      const across = await reconcileAcrossAccounts(f, (await selectedAccounts(f, paperOnly))!, false);
      for (const s of across.sections) {
        const one = await reconcileWithBroker(f, { broker: 'paper', account: s.account!, accept: false });
        expect({ ...s.result, baseline: s.result.baseline?.seq }).toEqual({ ...one, baseline: one.baseline?.seq });
      }
      expect(across.consolidated.map((c) => [c.currency, c.matching])).toEqual([
        ['INR', ['inr1']],
        ['USD', ['usd']],
      ]);
      expect(across.exitCode).toBe(4);
      // --accept records each account's state as its new baseline: afterwards every account matches.
      await reconcileAcrossAccounts(f, (await selectedAccounts(f, { account: 'inr2' }))!, true);
      const accepted = await reconcileAcrossAccounts(f, (await selectedAccounts(f, paperOnly))!, false);
      expect(accepted.consolidated.map((c) => c.matching)).toEqual([['inr1', 'inr2'], ['usd']]);
      expect(accepted.exitCode).toBe(0);
    } finally {
      await f.close();
    }
  });

  it('refuses an unknown alias, both flags at once and a --broker other than the accounts’ (input errors, exit 2)', async () => {
    const { f } = factory();
    try {
      await expect(selectedAccounts(f, { account: 'nope' })).rejects.toThrow(/unknown account nope/);
      await expect(selectedAccounts(f, { accounts: 'inr1,nope,zip' })).rejects.toThrow(/unknown account nope, zip/);
      await expect(selectedAccounts(f, { account: 'inr1', accounts: 'all' })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(selectedAccounts(f, { accounts: 'all', broker: 'paper' })).rejects.toThrow(/--broker paper disagrees with account kite \(at zerodha\)/);
      expect(await selectedAccounts(f, { account: 'INR2', broker: 'Paper' })).toMatchObject({ single: true, definitions: [{ alias: 'inr2' }] });
      expect(await selectedAccounts(f, {})).toBeUndefined();
    } finally {
      await f.close();
    }
  });

  it('brokers accounts: a paper account needs no login; a Zerodha account without a stored session is not usable', async () => {
    const { f } = factory();
    try {
      const list = await listAccounts(f);
      expect(list.accounts.map((a) => [a.definition.alias, a.session, a.usable])).toEqual([
        ['inr1', 'no login needed', true],
        ['inr2', 'no login needed', true],
        ['usd', 'no login needed', true],
        ['kite', 'not logged in', false],
      ]);
    } finally {
      await f.close();
    }
  });
});
