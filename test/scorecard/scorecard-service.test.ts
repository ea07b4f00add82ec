import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { resetPaper } from '../../src/app/paper-account-service.js';
import { executeRebalance, type RebalanceFlags } from '../../src/app/rebalance-command-service.js';
import { brokerScorecardJson, renderBrokerScorecard } from '../../src/app/render/scorecard-view.js';
import { brokerScorecard, executionQualities, qualityFor, qualityKey } from '../../src/app/scorecard-service.js';
import { listRuns } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { violations } from '../schemas/contract.js';
import { startHarness, type Harness } from '../zerodha/harness.js';
import { independentFigures } from './independent-figures.js';

const dir = mkdtempSync(join(tmpdir(), 'ptexec-scorecard-'));
const RUN: RebalanceFlags = { algo: 'twap', duration: '10m', slices: 4, yes: true, 'liquidate-unlisted': false, 'new-run': true, 'allow-partial': false, 'no-ui': true, speed: 'max', seed: 3 };
let store: Store;
let kite: Harness;

/** A config folder of its own: which paper account a factory trades, its faults, the accounts it names. */
function configFolder(name: string, config: unknown): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'ptexec'), { recursive: true });
  writeFileSync(join(folder, 'ptexec', 'config.json'), JSON.stringify(config));
  return folder;
}

function factory(configHome: string, json = false) {
  const fake = fakeIO({ json, env: { XDG_CONFIG_HOME: configHome, XDG_DATA_HOME: join(dir, 'data') } });
  return { f: new Factory(fake.io, { store, openedBroker: (id) => (id === 'zerodha' ? kite.broker : undefined) }), ...fake };
}

/** Runs a rebalance in this process; returns its exit code (4 when a leg ended short, as the seeded rejections may make one). */
async function rebalance(configHome: string, name: string, target: string, flags: Partial<RebalanceFlags> = {}): Promise<number> {
  const file = join(dir, name);
  writeFileSync(file, target);
  const { f } = factory(configHome);
  try {
    return (await executeRebalance(f, { file, flags: { ...RUN, ...flags } })).exitCode;
  } finally {
    await f.close();
  }
}

const accounts = { main: { broker: 'paper', account: 'PAPER', role: 'primary' }, second: { broker: 'paper', account: 'P2' }, kite: { broker: 'zerodha' }, spare: { broker: 'upstox' } };
let main: string;

beforeAll(async () => {
  store = openDatabase(join(dir, 'ptexec.db'));
  kite = await startHarness({ cash: 1_000_000_000, quotesPerSecond: 1000 });
  // Seeded faults: some child orders are rejected, some placements time out before reaching the market (an unknown outcome, looked up, then sent again).
  main = configFolder('main', { accounts, paper: { seed: 11, faults: { reject: 0.2, timeoutBeforeAccept: 0.15, timeoutMs: 200 } } });
  const second = configFolder('second', { accounts, paper: { account: 'P2', seed: 5 } });
  writeFileSync(join(dir, 'risk.json'), JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  expect([0, 4]).toContain(await rebalance(main, 'inr.csv', 'symbol,target_quantity\nINFY,40\nTCS,20\nRELIANCE,30\nITC,120\nSBIN,60\n'));
  expect(await rebalance(second, 'second.csv', 'symbol,target_quantity\nHDFCBANK,25\nLT,10\n', { algo: 'market' })).toBe(0);
  const { f } = factory(main);
  await resetPaper(f, { currency: 'USD', holdings: [], yes: true });
  await f.close();
  expect(await rebalance(main, 'usd.csv', 'symbol,exchange,target_quantity\nAAPL,NASDAQ,12\nMSFT,NASDAQ,5\n', { algo: 'market' })).toBe(0);
  expect(await rebalance(main, 'kite.csv', 'symbol,target_quantity\nINFY,40\nTCS,5\n', { algo: 'market', broker: 'zerodha', risk: join(dir, 'risk.json'), speed: undefined, seed: undefined })).toBe(0);
}, 120_000);

afterAll(async () => {
  // The factory of the Kite run closed the adapter; the emulator is left.
  await kite?.emu.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('brokers scorecard over real paper runs and a Kite emulator run', () => {
  it('gives each broker account the figures an independent count from the recorded events and fills gives', async () => {
    const { f } = factory(main);
    const report = await brokerScorecard(f, {});
    const expected = independentFigures(store);
    expect(report.brokers.map((b) => [b.broker, b.accounts.map((a) => [a.card.account, a.alias])])).toEqual([
      ['paper', [['P2', 'second'], ['PAPER', 'main']]],
      ['upstox', []],
      ['zerodha', [['ZX1234', 'kite']]],
    ]);
    for (const { card } of report.brokers.flatMap((b) => b.accounts)) {
      const want = expected.get(`${card.broker}/${card.account}`)!;
      expect(card).toMatchObject({ legs: want.legs, runs: want.runs, ordered: want.ordered, filled: want.filled, childOrders: want.sent, rejected: want.rejected, cancelled: want.cancelled, cancelledOnRequest: want.cancelledOnRequest, unknownOutcomes: want.unknown });
      expect(card.latency).toEqual(want.latency);
      expect(card.currencies.map((c) => c.currency)).toEqual([...want.currencies.keys()]);
      for (const c of card.currencies) {
        const w = want.currencies.get(c.currency)!;
        expect(c.tradedValue).toBe(w.tradedValue);
        expect(c.charges).toBe(w.charges);
        if (w.slippageBps === null) expect(c.slippageBps).toBeNull();
        else expect(c.slippageBps).toBeCloseTo(w.slippageBps, 9);
      }
    }
    await f.close();
  });

  it('met the outcomes it was seeded for: rejections and unknown outcomes on paper, two currencies kept apart', async () => {
    const { f } = factory(main);
    const report = await brokerScorecard(f, {});
    const paperMain = report.brokers[0]!.accounts.find((a) => a.alias === 'main')!.card;
    expect(paperMain.rejected).toBeGreaterThan(0);
    expect(paperMain.unknownOutcomes).toBeGreaterThan(0);
    expect(paperMain.currencies.map((c) => c.currency)).toEqual(['INR', 'USD']);
    const total = report.brokers[0]!.total!;
    expect(total.legs).toBe(report.brokers[0]!.accounts.reduce((n, a) => n + a.card.legs, 0));
    expect(total.currencies.find((c) => c.currency === 'INR')!.tradedValue).toBe(report.brokers[0]!.accounts.reduce((n, a) => n + (a.card.currencies.find((c) => c.currency === 'INR')?.tradedValue ?? 0), 0));
    expect(report.brokers[1]).toMatchObject({ broker: 'upstox', total: null, idleAliases: ['spare'] });
    await f.close();
  });

  it('prints a table and a --json that meets its schema; a broker without history says so', async () => {
    const { f, stdout } = factory(main);
    const report = await brokerScorecard(f, {});
    renderBrokerScorecard(f.io, report);
    expect(stdout.text()).toMatch(/^Broker scorecard, all history/);
    expect(stdout.text()).toMatch(/paper\s+PAPER \(main\)\s+\d+\s+\d+\s+[\d.]+%/);
    expect(stdout.text()).toMatch(/paper\s+all 2 accounts/);
    expect(stdout.text()).toMatch(/paper\s+PAPER \(main\)\s+USD/);
    expect(stdout.text()).toContain('upstox: no executions recorded (all history) for spare');
    expect(violations('brokers-scorecard.json', brokerScorecardJson(report))).toEqual([]);
    const none = await brokerScorecard(f, { broker: 'fyers' });
    expect(brokerScorecardJson(none).brokers).toEqual([{ broker: 'fyers', history: false, total: null, accounts: [], idle_accounts: [] }]);
    await f.close();
  });

  it('--since and --until select runs by trading date; a bad value is refused naming the flag', async () => {
    const { f } = factory(main);
    // The runs' own trading dates (an exchange's, not the UTC date: after midnight in India, or on
    // a weekend, the next session's), and the day after the last of them.
    const dates = listRuns(f.store(), { limit: 1_000 }).map((r) => r.trading_date).sort();
    const [first, last] = [dates[0]!, dates.at(-1)!];
    const tomorrow = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const legs = (r: Awaited<ReturnType<typeof brokerScorecard>>) => r.brokers.reduce((n, b) => n + (b.total?.legs ?? 0), 0);
    const all = legs(await brokerScorecard(f, {}));
    expect(all).toBeGreaterThan(0);
    expect(legs(await brokerScorecard(f, { since: '30d' }))).toBe(all);
    expect(legs(await brokerScorecard(f, { since: first, until: last }))).toBe(all);
    expect(legs(await brokerScorecard(f, { since: tomorrow }))).toBe(0);
    expect((await brokerScorecard(f, { since: tomorrow, broker: 'paper' })).brokers).toEqual([{ broker: 'paper', total: null, accounts: [], idleAliases: ['main', 'second'] }]);
    await expect(brokerScorecard(f, { since: 'yesterday' })).rejects.toThrow(/--since yesterday is neither a number of days nor a date/);
    await expect(brokerScorecard(f, { until: '2026-02-30' })).rejects.toThrow(/--until 2026-02-30 is not a date/);
    await expect(brokerScorecard(f, { since: '2026-03-02', until: '2026-03-01' })).rejects.toThrow(/--since 2026-03-02 is after --until 2026-03-01/);
    await f.close();
  });

  it('hands the router the same figures as ExecutionQuality per account and per broker', async () => {
    const { f } = factory(main);
    const report = await brokerScorecard(f, {});
    const qualities = executionQualities(store, {}, 'INR');
    const kiteCard = report.brokers[2]!.accounts[0]!.card;
    expect(qualityFor(qualities, { alias: 'kite', broker: 'zerodha', role: 'secondary', permissions: { buy: true, sell: true } })).toEqual({
      legs: kiteCard.legs,
      slippageBps: kiteCard.currencies[0]!.slippageBps ?? 0,
      fillRate: kiteCard.fillRate,
      rejectRate: kiteCard.rejectRate,
      ...(kiteCard.latency.p50Ms !== null ? { latencyMs: kiteCard.latency.p50Ms } : {}),
    });
    expect(qualities.get(qualityKey('paper', 'P2'))!.legs).toBe(2);
    expect(qualities.get(qualityKey('paper'))!.legs).toBe(report.brokers[0]!.total!.legs);
    expect(qualities.has(qualityKey('upstox'))).toBe(false);
    await f.close();
  });
});
