import { afterEach, describe, expect, it, vi } from 'vitest';
import { findGroup, followGroup } from '../../src/app/group/group-watch.js';
import { AccountLock } from '../../src/store/account-lock.js';
import { groupStartSeq, runsOfGroup } from '../../src/app/group/run-group.js';
import { GroupHome } from './group-fixture.js';
import { groupRouting } from './group-routing.js';

let home: GroupHome;
afterEach(() => home?.close());

describe('finding a group’s runs', () => {
  it('reads each run’s first event through the log’s run index, never the whole log (which has no index by type)', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN', role: 'primary' }, spouse: { broker: 'paper', account: 'SPOUSE' } } });
    home.paper('MAIN', 50_000_000, [{ symbol: 'TCS', quantity: 40 }]);
    home.paper('SPOUSE', 50_000_000, [{ symbol: 'INFY', quantity: 30 }]);
    const file = home.file('household.csv', 'symbol,target_quantity\nTCS,10\nINFY,10\nITC,100\n');
    const { result } = await home.rebalance(file, { kind: 'all' }, groupRouting);
    const json = result.json as { group: string; accounts: { alias: string; run_id: string }[] };

    const reads = vi.spyOn(home.store, 'events');
    expect(runsOfGroup(home.store, json.group)).toEqual(json.accounts.map((a) => ({ runId: a.run_id, account: a.alias.toUpperCase() })));
    expect(findGroup(home.store, json.group.slice(0, 4))).toBe(json.group);
    expect(runsOfGroup(home.store, 'gnosuchgroup')).toEqual([]);
    expect(reads).toHaveBeenCalled();
    for (const [query] of reads.mock.calls) expect(query).toMatchObject({ runId: expect.any(String), limit: 1 });

    // Where `watch --group` starts reading: just before the group's first run.created, found the same way.
    const firstCreated = home.store.events({ runId: json.accounts[0]!.run_id, types: ['run.created'], limit: 1 })[0]!;
    reads.mockClear();
    expect(groupStartSeq(home.store, json.group)).toBe(firstCreated.seq - 1);
    expect(groupStartSeq(home.store, 'gnosuchgroup')).toBe(0);
    for (const [query] of reads.mock.calls) expect(query).toMatchObject({ runId: expect.any(String), limit: 1 });
  });
});

describe('following a group', () => {
  it('does not end while the process that ran the group still holds a lock of its runs: a failover may yet add a run after every run has ended', async () => {
    home = new GroupHome({ accounts: { main: { broker: 'paper', account: 'MAIN', role: 'primary' }, spouse: { broker: 'paper', account: 'SPOUSE' } } });
    home.paper('MAIN', 50_000_000, [{ symbol: 'TCS', quantity: 40 }]);
    home.paper('SPOUSE', 50_000_000, [{ symbol: 'INFY', quantity: 30 }]);
    const file = home.file('household.csv', 'symbol,target_quantity\nTCS,10\nINFY,10\n');
    const { result } = await home.rebalance(file, { kind: 'all' }, groupRouting);
    const json = result.json as { group: string; accounts: { alias: string; run_id: string }[] };
    // Every run has ended; the group's process still holds main's lock (as it does until its failover rounds are over).
    const locks = new AccountLock(home.store);
    expect(locks.acquire('paper:MAIN', json.accounts[0]!.run_id).ok).toBe(true);
    let ended = false;
    const following = followGroup(home.store, json.group, () => undefined, true, () => undefined).then(() => (ended = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(ended).toBe(false);
    locks.release('paper:MAIN', json.accounts[0]!.run_id);
    await following;
    expect(ended).toBe(true);
  });
});
