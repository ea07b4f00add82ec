import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Factory } from '../../src/app/factory.js';
import { executeGroupRebalance } from '../../src/app/group/group-rebalance.js';
import { watchRun } from '../../src/app/watch-service.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { violations } from '../schemas/contract.js';
import { GroupHome } from './group-fixture.js';
import { groupRouting } from './group-routing.js';

const PAPER_ACCOUNTS = {
  accounts: {
    main: { broker: 'paper', account: 'MAIN', role: 'primary' },
    spouse: { broker: 'paper', account: 'SPOUSE' },
  },
};

type Line = { seq: number; run_id: string | null; type: string; group: string; account: { alias: string; broker: string; account: string } | null; payload: Record<string, unknown> };

let home: GroupHome;
afterEach(() => home?.close());

/** main holds TCS, spouse INFY: a consolidated target sells each where it is held and routes the buys. */
async function finishedGroup(): Promise<{ group: string; runs: { alias: string; run_id: string }[] }> {
  home = new GroupHome(PAPER_ACCOUNTS);
  home.paper('MAIN', 50_000_000, [{ symbol: 'TCS', quantity: 40 }]);
  home.paper('SPOUSE', 50_000_000, [{ symbol: 'INFY', quantity: 30 }]);
  const file = home.file('household.csv', 'symbol,target_quantity\nTCS,10\nINFY,10\nITC,100\n');
  const { result } = await home.rebalance(file, { kind: 'all' }, groupRouting);
  expect(result.exitCode).toBe(0);
  const json = result.json as { group: string; accounts: { alias: string; run_id: string }[] };
  return { group: json.group, runs: json.accounts };
}

async function watch(request: { group?: string; run?: string }, tty?: { env: NodeJS.ProcessEnv }) {
  const io = tty ? fakeIO({ tty: { stdout: true, stderr: true, stdin: true }, env: { ...home.env, ...tty.env } }) : fakeIO({ env: home.env });
  await watchRun(new Factory(io.io, { db: join(home.dir, 'group.db') }), { ...request, follow: false, control: false });
  return { stdout: io.stdout.text(), stderr: io.stderr.text() };
}

describe('watch --group (in-process)', () => {
  it('prints every account’s run of the group as NDJSON, each event labelled with the group and its account, and nothing of other runs', async () => {
    const { group, runs } = await finishedGroup();
    const lines = (await watch({ group })).stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    for (const l of lines) expect(violations('watch-event.json', l), l.type).toEqual([]);
    expect(new Set(lines.map((l) => l.run_id))).toEqual(new Set(runs.map((r) => r.run_id)));
    for (const l of lines) {
      const run = runs.find((r) => r.run_id === l.run_id)!;
      expect(l.group).toBe(group);
      expect(l.account?.alias).toBe(run.alias);
    }
    expect(lines.filter((l) => l.type === 'run.created').map((l) => [l.account, l.payload.group])).toEqual(
      runs.map((r) => [{ alias: r.alias, broker: 'paper', account: r.alias.toUpperCase() }, group]),
    );
    // Every event of the group's runs, in seq order, each once: the same as watching each run alone.
    const alone = await Promise.all(runs.map(async (r) => (await watch({ run: r.run_id })).stdout.trim().split('\n').map((l) => (JSON.parse(l) as Line).seq)));
    expect(lines.map((l) => l.seq)).toEqual(alone.flat().sort((a, b) => a - b));
    // A prefix names the group when it is unique.
    expect((await watch({ group: group.slice(0, 5) })).stdout.trim().split('\n')).toHaveLength(lines.length);
  });

  it('on a terminal that cannot draw the dashboard, follows each run’s progress lines led by its account’s alias, then sums the group per currency', async () => {
    const { group } = await finishedGroup();
    const { stdout, stderr } = await watch({ group }, { env: { TERM: 'dumb' } });
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^main {5}.*TCS/m);
    expect(stderr).toMatch(/^spouse {3}.*INFY/m);
    // Then the group per currency: main's TCS 30 and ITC 100 and spouse's INFY 20 added up.
    expect(stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^Σ INR group ${group}: 2 accounts, 2 runs; filled 150/150 \\(100%\\), traded ₹[\\d,.]+, slippage [+-]?[\\d.]+ bps, shortfall [+-]?[\\d.]+ bps \\(₹[\\d,.]+\\), charges ₹[\\d,.]+$`));
  });

  it('names the group when one of its runs is watched alone on a terminal', async () => {
    const { group, runs } = await finishedGroup();
    const { stderr } = await watch({ run: runs[0]!.run_id }, { env: { TERM: 'dumb' } });
    expect(stderr).toContain(`run ${runs[0]!.run_id} is one account's part of group ${group}; \`ptexec watch --group ${group}\` shows every account`);
  });

  it('refuses an unknown group and a run given with --group (exit 2, naming the fix)', async () => {
    const { runs } = await finishedGroup();
    await expect(watch({ group: 'gnope' })).rejects.toThrow(/no group gnope/);
    await expect(watch({ group: 'g', run: runs[0]!.run_id })).rejects.toThrow(/give a run or --group, not both/);
  });
});

describe('a group rebalance on a terminal', () => {
  it('draws one dashboard for the whole group while it runs, and prints the results after it closes', async () => {
    home = new GroupHome(PAPER_ACCOUNTS);
    home.paper('MAIN', 50_000_000, [{ symbol: 'TCS', quantity: 40 }]);
    home.paper('SPOUSE', 50_000_000, [{ symbol: 'INFY', quantity: 30 }]);
    const file = home.file('household.csv', 'symbol,target_quantity\nTCS,10\nINFY,10\n');
    const { io, stdout } = fakeIO({ tty: { stdout: true, stderr: true, stdin: true }, env: { COLUMNS: '100', ...home.env } });
    // The fake keyboard is a terminal in raw mode as far as Ink can tell.
    Object.assign(io.screen.stdin, { setRawMode: () => undefined, ref: () => undefined, unref: () => undefined });
    const factory = new Factory(io, { store: home.store });
    try {
      const result = await executeGroupRebalance(factory, { file, flags: home.flags({ 'no-ui': false }) }, { kind: 'all' }, groupRouting);
      expect(result.exitCode).toBe(0);
    } finally {
      await factory.close();
    }
    const screen = stdout.text();
    const dashboard = screen.slice(0, screen.lastIndexOf('Account main'));
    expect(dashboard).toMatch(/GROUP g\w+ {2}2 runs/);
    expect(dashboard).toMatch(/main {6}paper · MAIN {3}completed/);
    expect(dashboard).toMatch(/spouse {4}paper · SPOUSE completed/);
    expect(dashboard).toMatch(/Σ INR {7}2 accounts/);
    expect(dashboard).toMatch(/routed main \(paper\) — holds 40/);
    // The results come after the dashboard has closed, not drawn over by it.
    expect(screen.slice(screen.lastIndexOf('Account main'))).toMatch(/Group g\w+: completed; 2\/2 runs completed\./);
  }, 30_000);
});
