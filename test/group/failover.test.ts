import { afterEach, describe, expect, it } from 'vitest';
import { legsAfterFailovers } from '../../src/engine/rebalance/failover-legs.js';
import { startKiteEmulator, type KiteEmulator } from '../emulators/kite/index.js';
import { resumeRun } from '../../src/app/resume-command-service.js';
import { executeGroupRebalance } from '../../src/app/group/group-rebalance.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { GroupHome } from './group-fixture.js';
import { groupRouting } from './group-routing.js';
import { kiteAdapter, kiteInstruments } from './kite-account.js';

const INSTRUMENTS = kiteInstruments(['RELIANCE', 'TCS', 'INFY', 'ITC']);

const CONFIG = {
  accounts: {
    kite: { broker: 'zerodha', role: 'primary' },
    main: { broker: 'paper', account: 'MAIN' },
    spouse: { broker: 'paper', account: 'SPOUSE' },
  },
  // A broker down one second is down (the default is a minute).
  failover: { outage_seconds: 1 },
};

let emu: KiteEmulator;
let home: GroupHome;

/** The Kite emulator and a group home whose `kite` account trades it, with paper accounts MAIN and SPOUSE. */
async function start(): Promise<void> {
  emu = await startKiteEmulator({ instruments: INSTRUMENTS, cash: 1_000_000_000, quotesPerSecond: 1_000 });
  home = new GroupHome(CONFIG);
  home.opened = kiteAdapter(emu);
  home.paper('MAIN', 100_000_000);
  home.paper('SPOUSE', 100_000_000);
}
afterEach(async () => {
  home?.close();
  await emu?.close();
});

type Leg = { symbol: string; side: string; quantity: number; filled_quantity: number; status: string; client_order_ids: string[] };
type GroupJson = { group: string; status: string; accounts: { alias: string; run_id: string; status: string; failover_of: string | null; handed_over: boolean; results: Leg[] }[] };

/** The Kite session expires once `after` orders have been placed (the answer to the last of them is sent first). */
function expireSessionAfterPlacements(after: number): void {
  const requests = emu.state.requests;
  const push = requests.push.bind(requests);
  let placed = 0;
  requests.push = (...records) => {
    for (const r of records) if (r.method === 'POST' && r.path.startsWith('/orders/') && ++placed === after) setImmediate(() => emu.state.expireTokens());
    return push(...records);
  };
}

/** The first placement is answered 403 TokenException, and the session is gone from then on. */
function refuseFirstPlacementWithTokenException(): void {
  emu.faults.inject({ method: 'POST', path: /^\/orders\//, errorType: 'TokenException', message: 'Incorrect `api_key` or `access_token`.' });
  const requests = emu.state.requests;
  const push = requests.push.bind(requests);
  requests.push = (...records) => {
    if (records.some((r) => r.method === 'POST' && r.path.startsWith('/orders/'))) emu.state.expireTokens();
    return push(...records);
  };
}

const placements = () => emu.state.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/orders/'));

describe('failover: a broker that goes down mid-run hands its unsent legs to another account', () => {
  it('moves what Kite never received to a paper account as a new run of the group; nothing is sent twice', async () => {
    await start();
    expireSessionAfterPlacements(2);
    const file = home.file('split.csv', 'account,symbol,target_quantity\nkite,RELIANCE,30\nkite,INFY,45\nspouse,TCS,5\n');
    const { result } = await home.rebalance(file, { kind: 'all' }, groupRouting, { algo: 'twap', duration: '2s', slices: 2 });
    const json = result.json as GroupJson;
    const kite = json.accounts.find((a) => a.alias === 'kite')!;
    const moved = json.accounts.filter((a) => a.failover_of === kite.run_id);
    expect(moved.length).toBeGreaterThan(0);
    for (const m of moved) expect(['main', 'spouse']).toContain(m.alias);

    // Every order Kite saw was placed once, under its own tag.
    const tags = placements().map((p) => new URLSearchParams(p.body).get('tag'));
    expect(new Set(tags).size).toBe(tags.length);
    // Each failover's run.created names the group and the run it took over; each move is on the old run.
    const failover = home.store.events({ runId: kite.run_id, types: ['run.failover'] }).map((e) => e.payload);
    expect(failover.map((e) => e.to).sort()).toEqual(moved.map((m) => m.run_id).sort());
    for (const m of moved) {
      const created = home.store.events({ runId: m.run_id, types: ['run.created'] })[0]!.payload;
      expect(created).toMatchObject({ group: json.group, failoverOf: kite.run_id });
      expect(failover.find((e) => e.to === m.run_id)).toMatchObject({ group: json.group, toAccount: m.alias });
    }
    for (const e of failover) expect(e.reason).toMatch(/zerodha went down/);

    const planned = home.store.events({ runId: kite.run_id, types: ['run.planned'] })[0]!.payload.legs;
    const sum = <T,>(xs: T[], q: (x: T) => number) => xs.reduce((s, x) => s + q(x), 0);
    // Per symbol: what Kite filled, what stays with the Kite run (sent, outcome unknown) and what moved add up to the leg, never more.
    for (const symbol of ['RELIANCE', 'INFY']) {
      const ordered = planned.find((l) => l.symbol === symbol)!.quantity;
      const kiteLeg = kite.results.find((l) => l.symbol === symbol)!;
      const movedQty = sum(failover.flatMap((e) => e.moved.filter((m) => m.symbol === symbol)), (m) => m.quantity);
      const kept = sum(failover.flatMap((e) => e.kept.filter((k) => k.symbol === symbol)), (k) => k.quantity);
      const sentToKite = sum(placements().filter((p) => new URLSearchParams(p.body).get('tradingsymbol') === symbol), (p) => Number(new URLSearchParams(p.body).get('quantity')));
      expect(movedQty).toBeGreaterThan(0);
      expect(sentToKite + movedQty).toBeLessThanOrEqual(ordered);
      expect(kiteLeg.filled_quantity + kept + movedQty).toBeLessThanOrEqual(ordered);
      // The moved quantity completes on the other accounts.
      const taken = moved.flatMap((m) => m.results.filter((l) => l.symbol === symbol));
      expect(taken.every((l) => l.side === 'buy' && l.status === 'complete')).toBe(true);
      expect(sum(taken, (l) => l.filled_quantity)).toBe(movedQty);
    }
    // Fills are counted once: each recorded trade id once.
    const fills = home.store.events({ types: ['fill.recorded'] }).map((e) => `${e.payload.broker}:${e.payload.tradeId}`);
    expect(new Set(fills).size).toBe(fills.length);
    // Resuming the Kite run later works only what stayed with it.
    const left = legsAfterFailovers(planned, failover);
    const movedTotal = sum(failover.flatMap((e) => e.moved), (m) => m.quantity);
    expect(sum(left, (l) => l.quantity)).toBe(sum(planned, (l) => l.quantity) - movedTotal);

    // Logged in again, `ptexec resume` of the Kite run sends only what stayed with it: never a moved share.
    emu.state.accessTokens.add('emuaccesstoken0001');
    const { io } = fakeIO({ json: true, env: home.env });
    const factory = home.factory(io);
    let resumed: { results: Leg[] };
    try {
      resumed = (await resumeRun(factory, { runArg: kite.run_id, flags: { yes: true, 'no-ui': true } })).json as { results: Leg[] };
    } finally {
      await factory.close();
    }
    for (const symbol of ['RELIANCE', 'INFY']) {
      const ordered = planned.find((l) => l.symbol === symbol)!.quantity;
      const movedQty = sum(failover.flatMap((e) => e.moved.filter((m) => m.symbol === symbol)), (m) => m.quantity);
      const placed = placements().filter((p) => new URLSearchParams(p.body).get('tradingsymbol') === symbol);
      const kiteFilled = sum(home.store.events({ runId: kite.run_id, types: ['fill.recorded'] }).filter((e) => e.payload.symbol === symbol), (e) => e.payload.quantity);
      expect(kiteFilled + movedQty, symbol).toBeLessThanOrEqual(ordered);
      expect(resumed.results.find((l) => l.symbol === symbol)!.quantity).toBe(ordered - movedQty);
      expect(new Set(placed.map((p) => new URLSearchParams(p.body).get('tag'))).size).toBe(placed.length);
    }
  }, 30_000);

  it('a placement Kite refuses with TokenException (session expired) placed nothing: the whole slice moves, nothing stays unknown', async () => {
    await start();
    refuseFirstPlacementWithTokenException();
    const file = home.file('split.csv', 'account,symbol,target_quantity\nkite,RELIANCE,40\nmain,TCS,5\n');
    const { result, stderr } = await home.rebalance(file, { kind: 'all' }, groupRouting, {}, false);
    expect(placements()).toHaveLength(1);
    expect(emu.state.exchange.orders()).toEqual([]);
    const kiteRun = home.store.events({ types: ['run.created'] }).find((e) => e.payload.broker === 'zerodha')!.payload.runId;
    const refused = home.store.events({ runId: kiteRun, types: ['order.status'] }).map((e) => e.payload).filter((p) => p.to === 'rejected' || p.to === 'unknown');
    expect(refused).toEqual([expect.objectContaining({ from: 'pending_submit', to: 'rejected', reason: expect.stringMatching(/^refused, session lost: the Kite session is no longer valid .*TokenException \(HTTP 403\)/) })]);
    const failovers = home.store.events({ runId: kiteRun, types: ['run.failover'] }).map((e) => e.payload);
    expect(failovers.flatMap((e) => e.kept)).toEqual([]);
    expect(failovers.flatMap((e) => e.moved).map((m) => [m.symbol, m.side])).toEqual(failovers.map(() => ['RELIANCE', 'buy']));
    expect(failovers.flatMap((e) => e.moved).reduce((n, m) => n + m.quantity, 0)).toBe(40);
    // Everything moved: the Kite run is ended (handed over), and the group's exit code is its other runs'.
    expect(stderr).toContain(`failover: kite zerodha went down`);
    expect(stderr).not.toContain('failover: kite keeps');
    expect(home.store.events({ runId: kiteRun, types: ['run.status'] }).at(-1)!.payload).toMatchObject({ status: 'incomplete', reason: expect.stringMatching(/moved to run \w+ \(failover\)$/) });
    expect(result.exitCode).toBe(0);
    const bought = failovers.flatMap((f) => home.store.events({ runId: f.to, types: ['fill.recorded'] })).reduce((n, e) => n + e.payload.quantity, 0);
    expect(bought).toBe(40);
  }, 30_000);

  it('on a terminal, the group dashboard shows the run that handed everything over as incomplete, as the store records it', async () => {
    await start();
    refuseFirstPlacementWithTokenException();
    const file = home.file('split.csv', 'account,symbol,target_quantity\nkite,RELIANCE,40\nmain,TCS,5\n');
    const { io, stdout } = fakeIO({ tty: { stdout: true, stderr: true, stdin: true }, env: { COLUMNS: '100', ...home.env } });
    // The fake keyboard is a terminal in raw mode as far as Ink can tell.
    Object.assign(io.screen.stdin, { setRawMode: () => undefined, ref: () => undefined, unref: () => undefined });
    const factory = home.factory(io);
    try {
      expect((await executeGroupRebalance(factory, { file, flags: home.flags({ 'no-ui': false }) }, { kind: 'all' }, groupRouting)).exitCode).toBe(0);
    } finally {
      await factory.close();
    }
    const screen = stdout.text();
    const lastFrame = screen.slice(screen.lastIndexOf('GROUP g'), screen.lastIndexOf('Account '));
    expect(lastFrame).toMatch(/kite +zerodha[^\n]* incomplete/);
    expect(lastFrame).not.toMatch(/kite +zerodha[^\n]* interrupted/);
  }, 30_000);

  it('a broker that stays down (5xx) stops its run after failover.outage_seconds: the unsent part moves, the order working there stays and is said so', async () => {
    await start();
    // Kite goes down once the first slice is placed: every call answers 503 NetworkException.
    const requests = emu.state.requests;
    const push = requests.push.bind(requests);
    requests.push = (...records) => {
      if (records.some((r) => r.method === 'POST' && r.path.startsWith('/orders/'))) setImmediate(() => emu.faults.serverErrors(1_000_000));
      return push(...records);
    };
    const file = home.file('split.csv', 'account,symbol,target_quantity\nkite,RELIANCE,30\nmain,TCS,5\n');
    const { result, stderr } = await home.rebalance(file, { kind: 'all' }, groupRouting, { algo: 'twap', duration: '2s', slices: 2 }, false);
    expect(placements()).toHaveLength(1);
    const sent = Number(new URLSearchParams(placements()[0]!.body).get('quantity'));
    const kiteRun = home.store.events({ types: ['run.created'] }).find((e) => e.payload.broker === 'zerodha')!.payload.runId;
    expect(home.store.events({ runId: kiteRun, types: ['run.status'] }).map((e) => e.payload.reason ?? '')).toContainEqual(expect.stringMatching(/^zerodha is down: still no answer 1 s after its circuit breaker opened \(.*NetworkException \(HTTP 503\).*\); run ptexec resume \w+ when the broker is back$/));
    const [failover] = home.store.events({ runId: kiteRun, types: ['run.failover'] }).map((e) => e.payload);
    // What Kite never received moves; the slice it took stays with its run (working there, its cancel not answered).
    expect(failover).toMatchObject({ moved: [{ symbol: 'RELIANCE', side: 'buy', quantity: 30 - sent }], kept: [] });
    expect(stderr).toMatch(/failover: kite zerodha went down \(GET \/user\/margins: NetworkException \(HTTP 503\).*\); moving buy \d+ RELIANCE to (main|spouse) as run \w+/);
    expect(stderr).toContain(`failover: kite keeps buy ${sent} RELIANCE (working at zerodha): sent before its broker went down, it is settled there by ptexec resume ${kiteRun} once zerodha is back`);
    expect(stderr).toContain(`state saved; continue kite with \`ptexec resume ${kiteRun}\``);
    expect(result.exitCode).toBe(130);
    const bought = home.store.events({ runId: failover!.to, types: ['fill.recorded'] }).reduce((n, e) => n + e.payload.quantity, 0);
    expect(bought).toBe(30 - sent);
  }, 30_000);

  it('--no-failover leaves the unsent legs with the run whose broker went down, to resume', async () => {
    await start();
    expireSessionAfterPlacements(1);
    const file = home.file('split.csv', 'account,symbol,target_quantity\nkite,RELIANCE,30\nmain,TCS,5\n');
    const { result } = await home.rebalance(file, { kind: 'all' }, groupRouting, { algo: 'twap', duration: '2s', slices: 2, failover: false });
    const json = result.json as GroupJson;
    expect(result.exitCode).toBe(130);
    expect(json.accounts.map((a) => [a.alias, a.status])).toEqual([
      ['kite', 'interrupted'],
      ['main', 'completed'],
    ]);
    expect(home.store.events({ types: ['run.failover'] })).toEqual([]);
  }, 30_000);
});
