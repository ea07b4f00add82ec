import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { resetPaperAccount } from '../../src/brokers/paper/index.js';
import { violations } from '../schemas/contract.js';
import { CliSandbox } from './cli-harness.js';

type Line = { seq: number; run_id: string | null; type: string; group: string; account: { alias: string; broker: string; account: string } | null; payload: { routes?: { symbol: string; why: string }[] } };

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
  mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
  const accounts = { main: { broker: 'paper', account: 'MAIN', role: 'primary' }, spouse: { broker: 'paper', account: 'SPOUSE' } };
  writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ accounts }));
  const store = openDatabase(box.db);
  resetPaperAccount(store.brokerTables('paper'), { account: 'MAIN', cash: 50_000_000, holdings: [{ symbol: 'TCS', quantity: 40 }] });
  resetPaperAccount(store.brokerTables('paper'), { account: 'SPOUSE', cash: 50_000_000, holdings: [{ symbol: 'INFY', quantity: 30 }] });
  store.close();
});
afterEach(() => box.cleanup());

describe('ptexec watch --group (a subprocess, a finished group on two paper accounts)', () => {
  it('prints every account’s run as NDJSON labelled by group and account, with each leg’s routing why, and exits', async () => {
    const file = join(box.dir, 'household.csv');
    writeFileSync(file, 'symbol,target_quantity\nTCS,10\nINFY,10\nITC,100\n');
    const rebalance = await box.run(['rebalance', file, '--accounts', 'all', '--speed', 'max', '--yes', '--json']);
    expect(rebalance.code).toBe(0);
    const group = JSON.parse(rebalance.stdout) as { group: string; accounts: { alias: string; run_id: string }[] };

    const watched = await box.run(['watch', '--group', group.group], { subprocess: true, timeoutMs: 60_000 });
    expect(watched.stderr).toBe('');
    expect(watched.code).toBe(0);
    const lines = watched.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    for (const l of lines) expect(violations('watch-event.json', l), l.type).toEqual([]);
    const aliasOf = new Map(group.accounts.map((a) => [a.run_id, a.alias]));
    expect(new Set(lines.map((l) => l.run_id))).toEqual(new Set(aliasOf.keys()));
    for (const l of lines) expect([l.group, l.account?.alias, l.account?.broker]).toEqual([group.group, aliasOf.get(l.run_id!), 'paper']);
    // Each run's legs with the router's reason, as the plan showed them.
    const created = lines.filter((l) => l.type === 'run.created');
    expect(created.map((l) => l.account?.alias).sort()).toEqual([...aliasOf.values()].sort());
    for (const l of created) for (const r of l.payload.routes ?? []) expect(r.why).not.toBe('');
    expect(created.flatMap((l) => (l.payload.routes ?? []).filter((r) => r.symbol === 'TCS').map(() => l.account?.alias))).toEqual(['main']);
    const ends = lines.filter((l) => l.type === 'run.status' && (l.payload as { status?: string }).status === 'completed');
    expect(ends).toHaveLength(group.accounts.length);

    // --follow on a finished group ends at once; an unknown group is exit 2.
    const followed = await box.run(['watch', '--group', group.group, '--json', '--follow'], { subprocess: true, timeoutMs: 60_000 });
    expect(followed.code).toBe(0);
    expect(followed.stdout.trim().split('\n')).toHaveLength(lines.length);
    const unknown = await box.run(['watch', '--group', 'gnothing'], { subprocess: true });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no group gnothing');
  }, 120_000);
});
