import { afterEach, describe, expect, it } from 'vitest';
import { PAPER_UNIVERSE } from '../../src/brokers/paper/universe.js';
import { startKiteEmulator, type EmulatedInstrument, type KiteEmulator } from '../emulators/kite/index.js';
import { violations } from '../schemas/contract.js';
import { GroupHome } from './group-fixture.js';
import { groupRouting } from './group-routing.js';

const SYMBOLS = ['RELIANCE', 'TCS', 'INFY', 'ITC'];
const INSTRUMENTS: EmulatedInstrument[] = SYMBOLS.map((symbol, i) => {
  const p = PAPER_UNIVERSE.find((x) => x.symbol === symbol && x.exchange === 'NSE')!;
  const last = p.referencePrice;
  return { token: 300_001 + i, symbol, exchange: 'NSE', name: p.name.toUpperCase(), tick: p.tickSize, lot: 1, bid: last - p.tickSize, ask: last + p.tickSize, last, close: last, volume: 5_000_000 };
});

type Leg = { symbol: string; side: 'buy' | 'sell'; quantity: number; filled_quantity: number; status: string };
type Account = { alias: string; run_id: string; status: string; routes: { symbol: string; side: string; quantity: number; why: string }[]; results: Leg[] };
type GroupJson = { group: string; mode: string; status: string; accounts: Account[]; totals: { currency: string; legs: number }[]; plan?: unknown };

let emu: KiteEmulator;
let home: GroupHome;
afterEach(async () => {
  home?.close();
  await emu?.close();
});

describe('rebalance --accounts all with a consolidated target', () => {
  it('sells from the accounts holding the shares (settled only), buys within each account\'s cash, and the group ends at the target', async () => {
    // Kite holds INFY 10 settled + 5 still settling; MAIN holds TCS; SPOUSE holds INFY and little cash.
    emu = await startKiteEmulator({ instruments: INSTRUMENTS, cash: 1_000_000_000 });
    home = new GroupHome(
      { accounts: { kite: { broker: 'zerodha', role: 'primary' }, main: { broker: 'paper', account: 'MAIN' }, spouse: { broker: 'paper', account: 'SPOUSE' } } },
      { PTEXEC_ZERODHA_URL: emu.url, PTEXEC_ZERODHA_WS_URL: emu.wsUrl, PTEXEC_ZERODHA_API_KEY: emu.apiKey, PTEXEC_ZERODHA_ACCESS_TOKEN: 'emuaccesstoken0001' },
    );
    home.paper('MAIN', 100_000_000, [{ symbol: 'TCS', quantity: 40 }]);
    home.paper('SPOUSE', 500_000, [{ symbol: 'INFY', quantity: 20 }]);
    const before: Record<string, number> = { TCS: 40, INFY: 35, RELIANCE: 0 };
    const target: Record<string, number> = { TCS: 10, INFY: 5, RELIANCE: 40 };
    const file = home.file('household.csv', `symbol,target_quantity\n${Object.entries(target).map(([s, q]) => `${s},${q}`).join('\n')}\n`);
    const { result } = await home.rebalance(file, { kind: 'all' }, groupRouting);
    const json = result.json as GroupJson;
    expect(result.exitCode).toBe(0);
    expect(json).toMatchObject({ mode: 'consolidated', status: 'completed' });

    const sold = (alias: string, symbol: string) => json.accounts.find((a) => a.alias === alias)?.results.filter((l) => l.symbol === symbol && l.side === 'sell').reduce((s, l) => s + l.filled_quantity, 0) ?? 0;
    // Sells come from holders only, never more than their settled shares (Kite's 5 settling INFY stay).
    expect(sold('main', 'TCS')).toBe(30);
    expect(sold('kite', 'TCS') + sold('spouse', 'TCS')).toBe(0);
    expect(sold('kite', 'INFY')).toBeLessThanOrEqual(10);
    expect(sold('spouse', 'INFY')).toBeLessThanOrEqual(20);
    expect(sold('main', 'INFY')).toBe(0);
    // Buys within each account's cash: SPOUSE's ₹5,000 plus its sales cannot pay for 40 RELIANCE.
    const spouse = json.accounts.find((a) => a.alias === 'spouse');
    const spouseBuys = spouse?.results.filter((l) => l.side === 'buy').reduce((s, l) => s + l.filled_quantity, 0) ?? 0;
    expect(spouseBuys).toBeLessThan(40);
    // The group as a whole ends at the target: its holdings plus what every run traded.
    for (const symbol of Object.keys(target)) {
      const traded = json.accounts.flatMap((a) => a.results.filter((l) => l.symbol === symbol)).reduce((s, l) => s + (l.side === 'buy' ? l.filled_quantity : -l.filled_quantity), 0);
      expect(before[symbol]! + traded, symbol).toBe(target[symbol]);
    }
    // Each account's run records the group and why each of its legs is there.
    for (const a of json.accounts) {
      const created = home.store.events({ runId: a.run_id, types: ['run.created'] })[0]!.payload;
      expect(created.group).toBe(json.group);
      expect(created.routes?.length).toBeGreaterThan(0);
      for (const r of created.routes ?? []) expect(r.why.length).toBeGreaterThan(0);
    }
  }, 30_000);

  it('a dry run shows every account\'s legs with the router\'s why and the group\'s totals, and sends nothing', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN', role: 'primary' }, spouse: { broker: 'paper', account: 'SPOUSE' } } });
    home.paper('MAIN', 100_000_000, [{ symbol: 'TCS', quantity: 40 }]);
    home.paper('SPOUSE', 100_000_000, [{ symbol: 'TCS', quantity: 20 }]);
    const file = home.file('household.csv', 'symbol,target_quantity\nTCS,0\nRELIANCE,50\n');
    const { result } = await home.rebalance(file, { kind: 'all' }, groupRouting, { 'dry-run': true });
    const json = result.json as GroupJson;
    expect(result.exitCode).toBe(0);
    expect(json).toMatchObject({ mode: 'consolidated', status: 'planned', dry_run: true });
    expect(violations('rebalance.json', json)).toEqual([]);
    expect(json.totals).toEqual([expect.objectContaining({ currency: 'INR' })]);
    const sells = json.accounts.flatMap((a) => a.routes.filter((r) => r.side === 'sell').map((r) => [a.alias, r.symbol, r.quantity]));
    expect(sells.sort()).toEqual([
      ['main', 'TCS', 40],
      ['spouse', 'TCS', 20],
    ]);
    expect(home.store.events({ types: ['run.created'] })).toEqual([]);
  });

  it('the same consolidated target again the same day is refused (exit 6, nothing sent), as a single account\'s is; --new-run trades again', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN', role: 'primary' }, spouse: { broker: 'paper', account: 'SPOUSE' } } });
    home.paper('MAIN', 50_000_000);
    home.paper('SPOUSE', 20_000_000);
    // Weights: after the first group the accounts' values have moved, so each account's routed lines differ the second time.
    const file = home.file('household.csv', 'symbol,weight\nTCS,0.2\nRELIANCE,0.2\nINFY,0.2\nITC,0.2\nSBIN,0.15\n');
    // Each account may end up holding a few of the names: no concentration limit here.
    const risk = home.file('risk.json', JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' }, concentration: { max_position_pct: null, max_group_pct: null } }));
    const first = await home.rebalance(file, { kind: 'all' }, groupRouting, { risk });
    expect(first.result.exitCode).toBe(0);
    const runs = home.store.events({ types: ['run.created'] }).length;
    const group = (first.result.json as GroupJson).group;
    await expect(home.rebalance(file, { kind: 'all' }, groupRouting, { risk })).rejects.toThrow(new RegExp(`group ${group} already ran this target over main, spouse today \\(run \\w+ on main: completed[^)]*\\); nothing was sent`));
    expect(home.store.events({ types: ['run.created'] })).toHaveLength(runs);
    const again = await home.rebalance(file, { kind: 'all' }, groupRouting, { risk, 'new-run': true });
    expect((again.result.json as GroupJson).group).not.toBe(group);
  });

  it('the group\'s value and account count cover every selected account, those the router gave no leg too', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN', role: 'primary' }, spouse: { broker: 'paper', account: 'SPOUSE' } } });
    home.paper('MAIN', 100_000_000);
    home.paper('SPOUSE', 30_000_000);
    const file = home.file('household.csv', 'symbol,target_quantity\nITC,100\n');
    const { result } = await home.rebalance(file, { kind: 'all' }, groupRouting, { 'dry-run': true });
    const json = result.json as GroupJson & { totals: { accounts: number; value_minor: number }[] };
    expect(json.accounts.map((a) => a.alias)).toEqual(['main']);
    expect(json.totals).toEqual([expect.objectContaining({ currency: 'INR', accounts: 2, value_minor: 130_000_000 })]);
  });

  it('refuses accounts of different currencies for one consolidated target (exit 2, nothing sent)', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN' }, us: { broker: 'paper', account: 'USD1' } } });
    home.paper('MAIN', 100_000_000);
    const { resetPaperAccount } = await import('../../src/brokers/paper/index.js');
    resetPaperAccount(home.store.brokerTables('paper'), { account: 'USD1', currency: 'USD', cash: 10_000_000 });
    const file = home.file('household.csv', 'symbol,weight\nTCS,0.5\n');
    await expect(home.rebalance(file, { kind: 'all' }, groupRouting)).rejects.toThrow(/a consolidated target needs accounts of one currency \(main INR, us USD\)/);
  });
});
