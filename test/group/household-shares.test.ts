import { afterEach, describe, expect, it } from 'vitest';
import { GroupHome } from './group-fixture.js';
import { groupRouting } from './group-routing.js';

type Leg = { symbol: string; side: 'buy' | 'sell'; filled_quantity: number };
type Account = { alias: string; routes: { symbol: string; side: string; quantity: number; why: string }[]; results?: Leg[] };
type GroupJson = { status: string; accounts: Account[] };

let home: GroupHome;
afterEach(() => home?.close());

const routed = (json: GroupJson) => Object.fromEntries(json.accounts.flatMap((a) => a.routes.map((r) => [`${a.alias} ${r.side} ${r.symbol}`, r.quantity])));

describe('a consolidated target over accounts with a share of the household', () => {
  it('buys each account its share of every line, sells from those above their share, and the accounts end at their shares', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN', role: 'primary', share: 0.6 }, spouse: { broker: 'paper', account: 'SPOUSE', share: 0.4 } } });
    // Spouse holds all of the household's TCS: the target's 100 should be 60 with main, 40 with spouse.
    home.paper('MAIN', 100_000_000);
    home.paper('SPOUSE', 100_000_000, [{ symbol: 'TCS', quantity: 150 }]);
    const file = home.file('household.csv', 'symbol,target_quantity\nTCS,100\nRELIANCE,200\nINFY,50\n');
    const { result, stdout } = await home.rebalance(file, { kind: 'all' }, groupRouting, { 'dry-run': true }, false);
    expect(result.exitCode).toBe(0);
    const json = result.json as GroupJson;
    // The household sells 50 TCS, all from spouse (110 above its 40); it buys no TCS for main: the household does not trade one account against another.
    expect(routed(json)).toEqual({ 'main buy RELIANCE': 120, 'main buy INFY': 30, 'spouse sell TCS': 50, 'spouse buy RELIANCE': 80, 'spouse buy INFY': 20 });
    const why = json.accounts.find((a) => a.alias === 'main')!.routes.find((r) => r.symbol === 'RELIANCE')!.why;
    expect(why).toBe("by share: main (paper) 120 NSE, spouse (paper) 80 NSE — toward each account's share of the household's 200 RELIANCE (main 60%, spouse 40%)");
    expect(stdout).toContain('note: shares of each line (config.json accounts): main 60%, spouse 40%; buys go to the accounts below their share, sells come from those above');

    const sent = await home.rebalance(file, { kind: 'all' }, groupRouting);
    const filled = (sent.result.json as GroupJson).accounts.flatMap((a) => (a.results ?? []).map((l) => [a.alias, l.side, l.symbol, l.filled_quantity]));
    expect(filled.sort()).toEqual([
      ['main', 'buy', 'INFY', 30],
      ['main', 'buy', 'RELIANCE', 120],
      ['spouse', 'buy', 'INFY', 20],
      ['spouse', 'buy', 'RELIANCE', 80],
      ['spouse', 'sell', 'TCS', 50],
    ]);
  }, 30_000);

  it('an account without a share holds the rest, and a share the selection leaves alone keeps its proportion', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN', role: 'primary' }, spouse: { broker: 'paper', account: 'SPOUSE', share: 0.3 }, kid: { broker: 'paper', account: 'KID', share: 0.1 } } });
    for (const a of ['MAIN', 'SPOUSE', 'KID']) home.paper(a, 100_000_000);
    const file = home.file('household.csv', 'symbol,target_quantity\nITC,1000\n');
    const all = (await home.rebalance(file, { kind: 'all' }, groupRouting, { 'dry-run': true })).result.json as GroupJson;
    expect(routed(all)).toEqual({ 'main buy ITC': 600, 'spouse buy ITC': 300, 'kid buy ITC': 100 });
    // Spouse and kid alone: 30% and 10% become 75% and 25% of the two.
    const two = await home.rebalance(file, { kind: 'some', aliases: ['spouse', 'kid'] }, groupRouting, { 'dry-run': true }, false);
    expect(routed(two.result.json as GroupJson)).toEqual({ 'spouse buy ITC': 750, 'kid buy ITC': 250 });
    expect(two.stdout).toContain('note: shares of each line (config.json accounts): kid 25%, spouse 75%, in proportion over the accounts selected;');
  }, 30_000);

  it('shares that do not add up are refused before anything is read or sent (exit 2), naming the place and the fix', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN', share: 0.5 }, spouse: { broker: 'paper', account: 'SPOUSE', share: 0.3 } } });
    const file = home.file('household.csv', 'symbol,target_quantity\nITC,1000\n');
    const error = await home.rebalance(file, { kind: 'all' }, groupRouting).catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'invalid_input', issues: [expect.objectContaining({ path: '$.accounts', message: expect.stringContaining("the accounts' shares add up to 0.8 (main 0.5, spouse 0.3)") })] });
    expect(home.store.events({ types: ['run.created'] })).toEqual([]);
  });
});
