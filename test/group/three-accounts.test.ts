import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectedAccounts } from '../../src/app/accounts/account-selection.js';
import { reconcileAcrossAccounts } from '../../src/app/accounts/reconcile-across-accounts.js';
import { reconcileWithBroker } from '../../src/app/broker-account-service.js';
import { resumeRun } from '../../src/app/resume-command-service.js';
import type { RunFailover } from '../../src/domain/events/index.js';
import { startKiteEmulator, type KiteEmulator } from '../emulators/kite/index.js';
import { startUpstoxEmulator, type UpstoxEmulator } from '../emulators/upstox/index.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { GroupHome } from './group-fixture.js';
import { groupRouting } from './group-routing.js';
import { kiteAdapter, kiteInstruments } from './kite-account.js';

/**
 * End to end over two broker emulators and paper: a consolidated target over Zerodha (Kite
 * emulator, the primary), Upstox (its emulator, holding the TCS to sell) and a paper account.
 * Mid-run Kite goes down (every call 503) and the Upstox session expires; failover moves Kite's
 * unsent buys to paper; then both brokers are back, the stopped runs are resumed, and
 * `reconcile --accounts all` finds every account as its own command does, matching its broker.
 */
let kite: KiteEmulator;
let up: UpstoxEmulator;
let home: GroupHome;
const UPSTOX_TOKEN = 'upstox-emu-token-0001';

/** Calls `then` once, right after the first call `matches` is recorded (its answer already on its way). */
function afterFirst<T>(calls: T[], matches: (call: T) => boolean, then: () => void): void {
  const push = calls.push.bind(calls);
  let done = false;
  calls.push = (...records: T[]) => {
    if (!done && records.some(matches)) {
      done = true;
      setImmediate(then);
    }
    return push(...records);
  };
}

beforeAll(async () => {
  kite = await startKiteEmulator({
    instruments: kiteInstruments(['RELIANCE', 'TCS', 'INFY', 'ITC']),
    cash: 1_000_000_000,
    holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 15, t1Quantity: 0, averagePrice: 140_000 }],
    quotesPerSecond: 1_000,
  });
  up = await startUpstoxEmulator({ cash: 100_000_000, holdings: [{ symbol: 'TCS', exchange: 'NSE', quantity: 40, t1Quantity: 0, averagePrice: 340_000 }] });
  const accounts = { kite: { broker: 'zerodha', role: 'primary' }, up: { broker: 'upstox' }, main: { broker: 'paper', account: 'MAIN' } };
  home = new GroupHome(
    { accounts, failover: { outage_seconds: 1 } },
    { PTEXEC_UPSTOX_URL: up.url, PTEXEC_UPSTOX_INSTRUMENTS_URL: up.instrumentsUrl, PTEXEC_UPSTOX_API_KEY: up.apiKey, PTEXEC_UPSTOX_API_SECRET: up.apiSecret, PTEXEC_UPSTOX_ACCESS_TOKEN: UPSTOX_TOKEN },
  );
  home.opened = kiteAdapter(kite);
  home.paper('MAIN', 100_000_000);
});
afterAll(async () => {
  home?.close();
  await kite?.close();
  await up?.close();
});

async function withFactory<T>(work: (f: ReturnType<GroupHome['factory']>) => Promise<T>): Promise<T> {
  const { io } = fakeIO({ json: true, env: home.env });
  const f = home.factory(io);
  try {
    return await work(f);
  } finally {
    await f.close();
  }
}

const sum = <T,>(xs: readonly T[], q: (x: T) => number) => xs.reduce((s, x) => s + q(x), 0);

describe('a consolidated target over Kite, Upstox and paper, with Kite down and the Upstox session lost mid-run', () => {
  it('fails Kite over to paper, sends nothing twice, records each fill once, and reconciles across all three', async () => {
    // Each account's holdings as they are before the group are its baseline.
    await withFactory(async (f) => reconcileAcrossAccounts(f, (await selectedAccounts(f, { accounts: 'all' }))!, true));
    afterFirst(kite.state.requests, (r) => r.method === 'POST' && r.path.startsWith('/orders/'), () => kite.faults.serverErrors(1_000_000));
    afterFirst(up.server.calls, (c) => c.path === '/v3/order/place', () => up.expireTokens());

    const file = home.file('household.csv', 'symbol,target_quantity\nINFY,5\nTCS,10\nRELIANCE,60\nITC,200\n');
    const { result, stderr } = await home.rebalance(file, { kind: 'all' }, groupRouting, { algo: 'twap', duration: '2s', slices: 2 }, false);
    const created = home.store.events({ types: ['run.created'] }).map((e) => e.payload);
    const runOf = (broker: string) => created.find((c) => c.broker === broker && !c.failoverOf)!.runId;
    const [kiteRun, upRun] = [runOf('zerodha'), runOf('upstox')];
    expect(result.exitCode).toBe(130);

    // Kite: down a second after its breaker opened; its unsent buys moved to paper (never to the down Upstox); the INFY sell only it holds stays.
    const kiteStop = home.store.events({ runId: kiteRun, types: ['run.status'] }).map((e) => e.payload.reason ?? '');
    expect(kiteStop).toContainEqual(expect.stringMatching(/^zerodha is down: still no answer 1 s after its circuit breaker opened/));
    const failovers: RunFailover['payload'][] = home.store.events({ runId: kiteRun, types: ['run.failover'] }).map((e) => e.payload);
    expect(failovers.map((e) => e.toAccount)).toEqual(['main']);
    expect(failovers[0]!.moved.every((m) => m.side === 'buy')).toBe(true);
    expect(sum(failovers[0]!.moved, (m) => m.quantity)).toBeGreaterThan(0);
    expect(stderr).toMatch(/failover: kite zerodha went down \(.*HTTP 503.*\); moving buy \d+ (ITC|RELIANCE)/);
    expect(stderr).toMatch(/failover: sell \d+ INFY of kite stays with run \w+: no account could take it/);
    // Upstox: its session lost, it stopped; the TCS it alone holds stays with its run.
    expect(home.store.events({ runId: upRun, types: ['run.status'] }).map((e) => e.payload.reason ?? '')).toContainEqual(expect.stringMatching(/^upstox: .*log in again/));
    expect(home.store.events({ runId: upRun, types: ['run.failover'] })).toEqual([]);

    // Both brokers are back: resuming the stopped runs settles at each broker what stayed with it.
    kite.faults.serverErrorsLeft = 0;
    up.accessTokens.add(UPSTOX_TOKEN);
    for (const runArg of [kiteRun, upRun]) {
      const resumed = await withFactory((f) => resumeRun(f, { runArg, flags: { yes: true, 'no-ui': true } }));
      expect(resumed.exitCode, runArg).toBe(0);
    }

    // Each client order id reached its broker once; each fill is recorded once.
    const kiteTags = kite.state.exchange.orders().map((o) => o.tag);
    expect(new Set(kiteTags).size).toBe(kiteTags.length);
    const upRefs = up.exchange.orders().map((o) => o.clientRef);
    expect(new Set(upRefs).size).toBe(upRefs.length);
    const fills = home.store.events({ types: ['fill.recorded'] }).map((e) => `${e.payload.broker}:${e.payload.account}:${e.payload.tradeId}`);
    expect(new Set(fills).size).toBe(fills.length);

    // The group bought what it meant to, wherever it ended up; every leg of every run is done.
    const bought = (symbol: string) => sum(home.store.events({ types: ['fill.recorded'] }).filter((e) => e.payload.symbol === symbol), (e) => (e.payload.side === 'buy' ? e.payload.quantity : -e.payload.quantity));
    expect({ RELIANCE: bought('RELIANCE'), ITC: bought('ITC'), INFY: bought('INFY'), TCS: bought('TCS') }).toEqual({ RELIANCE: 60, ITC: 200, INFY: -10, TCS: -30 });

    // reconcile --accounts all: each account's section is its own reconcile, and every account matches its broker.
    await withFactory(async (f) => {
      const across = await reconcileAcrossAccounts(f, (await selectedAccounts(f, { accounts: 'all' }))!, false);
      expect(across.sections.map((s) => s.alias).sort()).toEqual(['kite', 'main', 'up']);
      for (const s of across.sections) {
        const one = await reconcileWithBroker(f, { broker: s.broker, account: s.account ?? undefined, accept: false });
        expect({ ...s.result, baseline: s.result.baseline?.seq }, s.alias).toEqual({ ...one, baseline: one.baseline?.seq });
      }
      // Every share ptexec recorded is at the broker, and no more. The emulators, as the real
      // brokers do, debit charges only with the contract note: that cash difference is the only
      // one, and is named so.
      for (const s of across.sections) {
        expect(s.result.result.positions.every((p) => p.ours === p.broker), s.alias).toBe(true);
        expect(s.result.result.differences.map((d) => d.cause), s.alias).toEqual(s.broker === 'paper' ? [] : ['charges_not_debited']);
      }
      expect(across.consolidated.map((c) => [c.currency, c.matching])).toEqual([['INR', ['main']]]);
    });
  }, 60_000);
});
