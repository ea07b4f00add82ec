import { afterEach, describe, expect, it } from 'vitest';
import type { GroupRouting } from '../../src/app/group/group-parts.js';
import { Factory } from '../../src/app/factory.js';
import { executeRebalance } from '../../src/app/rebalance-command-service.js';
import { BlockedError } from '../../src/domain/errors/blocked-error.js';
import { recordedRun, recordedRuns } from '../../src/app/record-service.js';
import { renderRun, renderRuns } from '../../src/app/render/record-view.js';
import { runJson } from '../../src/app/render/rows.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { GroupHome } from './group-fixture.js';

const PAPER_ACCOUNTS = {
  accounts: {
    main: { broker: 'paper', account: 'MAIN', role: 'primary' },
    spouse: { broker: 'paper', account: 'SPOUSE' },
  },
};
const noRouting = (): Promise<GroupRouting> => Promise.reject(new Error('a per-account target is not routed'));

let home: GroupHome;
afterEach(() => home?.close());

type GroupJson = { group: string; mode: string; status: string; accounts: { alias: string; run_id: string; account: string; status: string; results: { symbol: string; side: string; quantity: number; filled_quantity: number; status: string }[] }[] };

describe('rebalance --accounts with a per-account target file', () => {
  it('gives each account its own lines as one ordinary run, tied by the group id in run.created', async () => {
    home = new GroupHome(PAPER_ACCOUNTS);
    home.paper('MAIN', 50_000_000, [{ symbol: 'TCS', quantity: 40 }]);
    home.paper('SPOUSE', 50_000_000);
    const file = home.file('split.csv', 'account,symbol,target_quantity\nmain,TCS,10\nspouse,INFY,20\nmain,ITC,100\n');
    const { result } = await home.rebalance(file, { kind: 'all' }, noRouting);
    expect(result.exitCode).toBe(0);
    const json = result.json as GroupJson;
    expect(json.mode).toBe('per-account');
    expect(json.status).toBe('completed');
    const main = json.accounts.find((a) => a.alias === 'main')!;
    const spouse = json.accounts.find((a) => a.alias === 'spouse')!;
    expect(main.account).toBe('MAIN');
    expect(main.results.map((r) => [r.symbol, r.side, r.quantity, r.filled_quantity])).toEqual([
      ['TCS', 'sell', 30, 30],
      ['ITC', 'buy', 100, 100],
    ]);
    expect(spouse.results.map((r) => [r.symbol, r.side, r.quantity, r.filled_quantity])).toEqual([['INFY', 'buy', 20, 20]]);
    for (const a of json.accounts) {
      const created = home.store.events({ runId: a.run_id, types: ['run.created'] })[0]!;
      expect(created.payload.group).toBe(json.group);
      expect(created.payload.account).toBe(a.account);
    }
    expect(main.run_id).not.toBe(spouse.run_id);

    // `runs` lists the group of each run; `runs show` names it.
    const { io, stdout } = fakeIO({ env: home.env });
    const factory = new Factory(io, { store: home.store });
    const listed = recordedRuns(factory, {}).rows.map(runJson);
    expect(listed.map((r) => r.group)).toEqual([json.group, json.group]);
    renderRuns(io, recordedRuns(factory, {}).rows);
    renderRun(io, recordedRun(factory, main.run_id));
    expect(stdout.text()).toContain(`group ${json.group}: one account's run of a group rebalance`);
    await factory.close();
  });

  it('--account trades one configured account as today\'s single run, on its broker and account id', async () => {
    home = new GroupHome(PAPER_ACCOUNTS);
    home.paper('SPOUSE', 50_000_000);
    const file = home.file('one.csv', 'symbol,target_quantity\nINFY,7\n');
    const { io } = fakeIO({ json: true, env: home.env });
    const factory = new Factory(io, { store: home.store });
    try {
      const result = await executeRebalance(factory, { file, flags: home.flags({ account: 'spouse' }) });
      expect(result.exitCode).toBe(0);
      expect(result.json).toMatchObject({ broker: 'paper', account: 'SPOUSE', status: 'completed' });
      const created = home.store.events({ types: ['run.created'] }).map((e) => e.payload);
      expect(created).toEqual([expect.objectContaining({ account: 'SPOUSE' })]);
      expect(created[0]!.group).toBeUndefined();
      await expect(executeRebalance(factory, { file, flags: home.flags({ account: 'kid' }) })).rejects.toThrow(/unknown account kid/);
    } finally {
      await factory.close();
    }
  });

  it('the group\'s own limit stops the group before anything is sent (risk.run.max_turnover_value over all accounts)', async () => {
    home = new GroupHome(PAPER_ACCOUNTS);
    home.paper('MAIN', 50_000_000);
    home.paper('SPOUSE', 50_000_000);
    // Each account trades about ₹38,000 of TCS, under a ₹50,000 run limit; together they are over it.
    const risk = home.file('risk.json', JSON.stringify({ session: { enforce: false }, run: { max_turnover_value: 50_000 } }));
    const file = home.file('split.csv', 'account,symbol,target_quantity\nmain,TCS,10\nspouse,TCS,10\n');
    const error = await home.rebalance(file, { kind: 'all' }, noRouting, { risk }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedError);
    expect((error as BlockedError).message).toMatch(/group: the group's gross traded value .* is over the maximum ₹?50,000.00 \(risk.run.max_turnover_value\)/);
    expect(home.store.events({ types: ['order.created'] })).toEqual([]);
  });

  it('refuses a line for an account that is not selected, naming it, before anything is sent', async () => {
    home = new GroupHome(PAPER_ACCOUNTS);
    home.paper('MAIN', 50_000_000);
    const file = home.file('split.json', JSON.stringify({ positions: [{ account: 'main', symbol: 'TCS', quantity: 1 }, { account: 'kid', symbol: 'INFY', quantity: 1 }] }));
    await expect(home.rebalance(file, { kind: 'all' }, noRouting)).rejects.toThrow(/account kid is not one of the selected accounts/);
    expect(home.store.events({ types: ['run.created'] })).toEqual([]);
  });
});
