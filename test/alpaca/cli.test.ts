import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlpacaEmulator, startAlpacaEmulator } from '../emulators/alpaca/index.js';
import { CliSandbox } from '../cli/cli-harness.js';

type Result = { run_id: string; broker: string; status: string; results: { symbol: string; quantity: number; side: string; status: string; filled_quantity: number }[] };

let emu: AlpacaEmulator;
let box: CliSandbox;
let risk: string;
beforeAll(async () => {
  emu = await startAlpacaEmulator({ cash: 10_000_000, holdings: [{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000 }] });
  box = new CliSandbox();
  risk = join(box.dir, 'risk.json');
  // The emulator trades at any hour and knows no average daily volumes.
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  box.extraEnv = { PTEXEC_ALPACA_URL: emu.url, PTEXEC_ALPACA_API_KEY: emu.keyId, PTEXEC_ALPACA_API_SECRET: emu.secretKey };
});
afterAll(async () => {
  box.cleanup();
  await emu.close();
});

const placements = () => emu.server.calls.filter((c) => c.method === 'POST' && c.path === '/v2/orders');

describe('ptexec with --broker alpaca (Alpaca emulator on 127.0.0.1)', () => {
  it('logs in with the key pair, plans in dollars with the SEC and FINRA fees on sells, executes until a crash and resumes without a duplicate, runs a TWAP, then reconciles, analyses, settles and logs out', async () => {
    const login = await box.run(['brokers', 'login', 'alpaca']);
    expect(login.stderr).not.toMatch(/this is a bug/);
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/logged in to alpaca as PA3EMU0001/);
    const stored = readFileSync(join(box.dir, 'config', 'ptexec', 'credentials.json'), 'utf8');
    expect(stored).not.toContain(emu.secretKey);
    // A wrong secret is refused at login, with the variable to check.
    box.extraEnv.PTEXEC_ALPACA_API_SECRET = 'not-the-secret';
    const bad = await box.run(['brokers', 'login', 'alpaca']);
    box.extraEnv.PTEXEC_ALPACA_API_SECRET = emu.secretKey;
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/PTEXEC_ALPACA_API_SECRET/);
    expect(bad.stderr).not.toContain('not-the-secret');

    const target = join(box.dir, 'target.csv');
    writeFileSync(target, 'symbol,exchange,target_quantity\nAAPL,NASDAQ,5\nMSFT,NASDAQ,4\nJPM,NYSE,3\n');
    const dry = await box.json<{ plan: { legs: { symbol: string; side: string; quantity: number; estimated_charges: string; currency?: string }[] } }>(['rebalance', target, '--broker', 'alpaca', '--dry-run', '--risk', risk]);
    expect(dry.stderr).not.toMatch(/this is a bug/);
    expect(dry.code).toBe(0);
    expect(dry.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([['AAPL', 'sell', 10], ['JPM', 'buy', 3], ['MSFT', 'buy', 4]]);
    // Commission-free; the plan estimates a sale with the latest period of each regulatory fee: SEC $20.60 per million of
    // about $2,700 → $0.06, FINRA TAF 10 × $0.000232 (2027) → $0.01. Booked charges use the trade date's rates.
    expect(dry.body.plan.legs.map((l) => l.estimated_charges)).toEqual(['0.07', '0.00', '0.00']);
    expect(placements()).toEqual([]);

    // Executed at market; the process dies (SIGKILL) once its parent orders are recorded, before sending any.
    expect(await box.runKilledAt('parents-started:1', ['rebalance', target, '--broker', 'alpaca', '--yes', '--no-ui', '--risk', risk])).toBe('SIGKILL');
    expect(placements()).toEqual([]);
    const resumed = await box.json<Result>(['resume', '--yes']);
    expect(resumed.stderr).not.toMatch(/this is a bug/);
    expect(resumed.code).toBe(0);
    expect(resumed.body).toMatchObject({ broker: 'alpaca', status: 'completed' });
    expect({ AAPL: emu.exchange.ownedQuantity('NASDAQ', 'AAPL'), MSFT: emu.exchange.ownedQuantity('NASDAQ', 'MSFT'), JPM: emu.exchange.ownedQuantity('NYSE', 'JPM') }).toEqual({ AAPL: 5, MSFT: 4, JPM: 3 });
    const ids = emu.exchange.orders().map((o) => o.clientRef);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of placements().filter((c) => c.status === 200)) expect(JSON.parse(p.body)).toMatchObject({ type: 'market', time_in_force: 'day', qty: expect.stringMatching(/^\d+$/), client_order_id: expect.stringMatching(/^[A-Za-z0-9_-]{1,128}$/) });

    // A scheduled algorithm on another target the same day plans from the first run's fills.
    const more = join(box.dir, 'more.csv');
    writeFileSync(more, 'symbol,exchange,target_quantity\nMSFT,NASDAQ,6\nAAPL,NASDAQ,5\n');
    const twap = await box.json<Result>(['rebalance', more, '--broker', 'alpaca', '--yes', '--no-ui', '--risk', risk, '--algo', 'twap', '--duration', '1s', '--slices', '1', '--param', 'child_type=market']);
    expect(twap.stderr).not.toMatch(/this is a bug/);
    expect(twap.code).toBe(0);
    expect(twap.body.results.map((l) => [l.symbol, l.side, l.quantity, l.status])).toEqual([['MSFT', 'buy', 2, 'complete']]);

    const reconcile = await box.json<{ positions: { symbol: string; ours: number; broker: number }[]; differences: { kind: string; cause: string }[] }>(['reconcile', '--broker', 'alpaca']);
    expect(reconcile.stderr).not.toMatch(/this is a bug/);
    expect(reconcile.body.positions.map((p) => [p.symbol, p.ours, p.broker])).toEqual([['AAPL', 5, 5], ['JPM', 3, 3], ['MSFT', 6, 6]]);
    const tca = await box.json(['tca']);
    expect(tca.code).toBe(0);
    expect(JSON.stringify(tca.body)).toMatch(/USD/);
    const settlement = await box.json<{ settlements?: unknown[] }>(['settlement', '--broker', 'alpaca']);
    expect(settlement.code).toBe(0);
    expect(JSON.stringify(settlement.body)).toMatch(/pending/);

    const logout = await box.run(['brokers', 'logout', 'alpaca']);
    expect(logout.code).toBe(0);
  }, 40_000);
});
