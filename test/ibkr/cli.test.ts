import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IbkrEmulator, startIbkrEmulator } from '../emulators/ibkr/index.js';
import { CliSandbox } from '../cli/cli-harness.js';

type Result = { run_id: string; broker: string; status: string; results: { symbol: string; quantity: number; side: string; status: string; filled_quantity: number }[] };

let emu: IbkrEmulator;
let box: CliSandbox;
let risk: string;
beforeAll(async () => {
  emu = await startIbkrEmulator({ authenticated: false, cash: 100_000_000, holdings: [{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000 }], matchIntervalMs: 20 });
  box = new CliSandbox();
  risk = join(box.dir, 'risk.json');
  // The emulated gateway trades at any hour and publishes no volumes.
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  box.extraEnv = { PTEXEC_IBKR_URL: emu.url };
  // The emulated gateway answers a snapshot's second request at once: no need to wait half a second for it.
  mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
  writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ brokers: { ibkr: { snapshot_retry_ms: 20 } } }));
});
afterAll(async () => {
  box.cleanup();
  await emu.close();
});

const placements = () => emu.server.calls.filter((c) => c.method === 'POST' && /\/iserver\/account\/[A-Z0-9]+\/orders$/.test(c.path));

describe('ptexec with --broker ibkr (emulated Client Portal Gateway on 127.0.0.1)', () => {
  it('says how to log in to the gateway, checks it once logged in, plans with IBKR charges in USD, executes until a crash and resumes without a duplicate, runs a TWAP, then reconciles, analyses, settles and logs out', async () => {
    const refused = await box.run(['brokers', 'login', 'ibkr'], { input: '\n' });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/Open http:\/\/127\.0\.0\.1:\d+ in a browser on this machine and log in/);
    emu.browserLogin(true);
    const login = await box.run(['brokers', 'login', 'ibkr']);
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/logged in to ibkr as DU1234567/);
    const stored = readFileSync(join(box.dir, 'config', 'ptexec', 'credentials.json'), 'utf8');
    expect(JSON.parse(stored).brokers.ibkr).toMatchObject({ user_id: 'DU1234567', access_token: 'client-portal-gateway' });

    const target = join(box.dir, 'target.csv');
    writeFileSync(target, 'symbol,exchange,target_quantity\nAAPL,NASDAQ,25\nMSFT,NASDAQ,40\nAMZN,NASDAQ,30\n');
    const dry = await box.json<{ plan: { legs: { symbol: string; side: string; quantity: number; estimated_charges: string }[] } }>(['rebalance', target, '--broker', 'ibkr', '--dry-run', '--risk', risk]);
    expect(dry.stderr).not.toMatch(/this is a bug/);
    expect(dry.code).toBe(0);
    expect(dry.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([['AAPL', 'buy', 10], ['AMZN', 'buy', 30], ['MSFT', 'buy', 40]]);
    // IBKR Pro Fixed: USD 0.005 a share, at least USD 1.00 an order; no regulatory fee on a buy.
    expect(dry.body.plan.legs.map((l) => l.estimated_charges)).toEqual(['1.00', '1.00', '1.00']);
    expect(placements()).toEqual([]);

    // Executed at market; the process dies (SIGKILL) once its parent orders are recorded, before sending any.
    expect(await box.runKilledAt('parents-started:1', ['rebalance', target, '--broker', 'ibkr', '--yes', '--no-ui', '--risk', risk])).toBe('SIGKILL');
    expect(placements()).toEqual([]);
    const resumed = await box.json<Result>(['resume', '--yes']);
    expect(resumed.stderr).not.toMatch(/this is a bug/);
    expect(resumed.code).toBe(0);
    expect(resumed.body).toMatchObject({ broker: 'ibkr', status: 'completed' });
    const owned = () => Object.fromEntries(['AAPL', 'MSFT', 'AMZN'].map((s) => [s, emu.exchange.ownedQuantity('NASDAQ', s)]));
    expect(owned()).toEqual({ AAPL: 25, MSFT: 40, AMZN: 30 });
    const refs = emu.exchange.orders().map((o) => o.clientRef);
    expect(new Set(refs).size).toBe(refs.length);
    // Market orders draw IBKR's market-order notice, which ptexec confirms by default.
    expect(emu.replies().length).toBe(3);
    for (const p of placements().filter((c) => c.status === 200)) expect(JSON.parse(p.body).orders[0]).toMatchObject({ orderType: 'MKT', listingExchange: 'SMART', tif: 'DAY', cOID: expect.any(String) });

    // A scheduled algorithm on another target the same day plans from the first run's fills.
    const more = join(box.dir, 'more.csv');
    writeFileSync(more, 'symbol,exchange,target_quantity\nMSFT,NASDAQ,50\nAAPL,NASDAQ,25\n');
    const twap = await box.json<Result>(['rebalance', more, '--broker', 'ibkr', '--yes', '--no-ui', '--risk', risk, '--algo', 'twap', '--duration', '1s', '--slices', '1', '--param', 'child_type=market']);
    expect(twap.stderr).not.toMatch(/this is a bug/);
    expect(twap.code).toBe(0);
    expect(twap.body.results.map((l) => [l.symbol, l.side, l.quantity, l.status])).toEqual([['MSFT', 'buy', 10, 'complete']]);

    // Positions agree share for share (AAPL with its T+1 part); the cash differs only by the commissions the emulator does not debit.
    const reconcile = await box.json<{ positions: { symbol: string; ours: number; broker: number }[]; differences: { kind: string; cause: string }[] }>(['reconcile', '--broker', 'ibkr']);
    expect(reconcile.stderr).not.toMatch(/this is a bug/);
    expect(reconcile.code).toBe(4);
    expect(reconcile.body.positions.map((p) => [p.symbol, p.ours, p.broker])).toEqual([['AAPL', 25, 25], ['AMZN', 30, 30], ['MSFT', 50, 50]]);
    expect(reconcile.body.differences).toEqual([expect.objectContaining({ kind: "cash", cause: "charges_not_debited" })]);
    const tca = await box.json(['tca']);
    expect(tca.code).toBe(0);
    const settlement = await box.json<{ settlements?: unknown[] }>(['settlement', '--broker', 'ibkr']);
    expect(settlement.code).toBe(0);
    expect(JSON.stringify(settlement.body)).toMatch(/pending/);

    const logout = await box.run(['brokers', 'logout', 'ibkr']);
    expect(logout.code).toBe(0);
    expect(emu.server.calls.at(-1)?.path).toBe('/v1/api/logout');
  }, 60_000);
});
