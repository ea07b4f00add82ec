import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UpstoxEmulator, startUpstoxEmulator } from '../emulators/upstox/index.js';
import { CliSandbox } from '../cli/cli-harness.js';

type Result = { run_id: string; broker: string; status: string; results: { symbol: string; quantity: number; side: string; status: string; filled_quantity: number }[] };

let emu: UpstoxEmulator;
let box: CliSandbox;
let risk: string;
beforeAll(async () => {
  emu = await startUpstoxEmulator({ accessToken: null, cash: 100_000_000, holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000 }] });
  box = new CliSandbox();
  risk = join(box.dir, 'risk.json');
  // The emulator trades at any hour and its master has no volume figures.
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  box.extraEnv = {
    PTEXEC_UPSTOX_URL: emu.url,
    PTEXEC_UPSTOX_INSTRUMENTS_URL: emu.instrumentsUrl,
    PTEXEC_UPSTOX_API_KEY: emu.apiKey,
    PTEXEC_UPSTOX_API_SECRET: emu.apiSecret,
    PTEXEC_UPSTOX_REDIRECT_URI: emu.redirectUri,
  };
});
afterAll(async () => {
  box.cleanup();
  await emu.close();
});

const placements = () => emu.server.calls.filter((c) => c.path === '/v3/order/place');

describe('ptexec with --broker upstox (Upstox emulator on 127.0.0.1)', () => {
  it('logs in with the pasted redirect, plans with Upstox charges, executes until a crash and resumes without a duplicate, runs a TWAP, then reconciles, analyses, settles and logs out', async () => {
    const login = await box.run(['brokers', 'login', 'upstox'], { input: `${emu.redirectUri}?code=${emu.issueCode()}&state=1\n` });
    expect(login.stderr).toContain(`${emu.url}/v2/login/authorization/dialog?response_type=code&client_id=${emu.apiKey}`);
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/logged in to upstox as UX1234/);
    const stored = JSON.parse(readFileSync(join(box.dir, 'config', 'ptexec', 'credentials.json'), 'utf8')) as { brokers: { upstox: Record<string, string> } };
    const token = stored.brokers.upstox.access_token!;
    expect(emu.accessTokens.has(token)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(emu.apiSecret);
    const status = await box.json<{ brokers: { broker: string; logged_in?: boolean; user_id?: string | null }[] }>(['brokers', 'status']);
    expect(status.body.brokers.find((b) => b.broker === 'upstox')).toMatchObject({ user_id: 'UX1234' });

    const target = join(box.dir, 'target.csv');
    writeFileSync(target, 'symbol,target_quantity\nINFY,25\nSBIN,40\nITC,30\n');
    const dry = await box.json<{ plan: { legs: { symbol: string; side: string; quantity: number; estimated_charges: string }[] } }>(['rebalance', target, '--broker', 'upstox', '--dry-run', '--risk', risk]);
    expect(dry.code).toBe(0);
    expect(dry.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([['INFY', 'buy', 10], ['ITC', 'buy', 30], ['SBIN', 'buy', 40]]);
    // Upstox's schedule: ₹20 brokerage on a ₹15,001 delivery buy (Zerodha's is ₹0), STT 15, stamp 2, exchange 0.45, SEBI 0.02, GST 3.68.
    expect(dry.body.plan.legs.map((l) => l.estimated_charges)).toEqual(['41.15', '39.05', '61.76']);
    expect(placements()).toEqual([]);

    // Executed at market; the process dies (SIGKILL) once its parent orders are recorded, before sending any.
    expect(await box.runKilledAt('parents-started:1', ['rebalance', target, '--broker', 'upstox', '--yes', '--no-ui', '--risk', risk])).toBe('SIGKILL');
    expect(placements()).toEqual([]);
    const resumed = await box.json<Result>(['resume', '--yes']);
    expect(resumed.stderr).not.toMatch(/this is a bug/);
    expect(resumed.code).toBe(0);
    expect(resumed.body).toMatchObject({ broker: 'upstox', status: 'completed' });
    expect({ INFY: emu.exchange.ownedQuantity('NSE', 'INFY'), SBIN: emu.exchange.ownedQuantity('NSE', 'SBIN'), ITC: emu.exchange.ownedQuantity('NSE', 'ITC') }).toEqual({ INFY: 25, SBIN: 40, ITC: 30 });
    const tags = emu.exchange.orders().map((o) => o.clientRef);
    expect(new Set(tags).size).toBe(tags.length);
    for (const p of placements().filter((c) => c.status === 200)) expect(JSON.parse(p.body)).toMatchObject({ product: 'D', order_type: 'MARKET', price: 0, tag: expect.stringMatching(/^[A-Za-z0-9]{1,20}$/) });

    // A scheduled algorithm on another target the same day plans from the first run's fills.
    const more = join(box.dir, 'more.csv');
    writeFileSync(more, 'symbol,target_quantity\nSBIN,50\nINFY,25\n');
    const twap = await box.json<Result>(['rebalance', more, '--broker', 'upstox', '--yes', '--no-ui', '--risk', risk, '--algo', 'twap', '--duration', '1s', '--slices', '1', '--param', 'child_type=market']);
    expect(twap.code).toBe(0);
    expect(twap.body.results.map((l) => [l.symbol, l.side, l.quantity, l.status])).toEqual([['SBIN', 'buy', 10, 'complete']]);

    // Positions agree share for share (INFY with its T1); the cash differs only by the charges the emulator does not debit.
    const reconcile = await box.json<{ positions: { symbol: string; ours: number; broker: number }[]; differences: { kind: string; cause: string }[] }>(['reconcile', '--broker', 'upstox']);
    expect(reconcile.stderr).not.toMatch(/this is a bug/);
    expect(reconcile.code).toBe(4);
    expect(reconcile.body.positions.map((p) => [p.symbol, p.ours, p.broker])).toEqual([['INFY', 25, 25], ['ITC', 30, 30], ['SBIN', 50, 50]]);
    expect(reconcile.body.differences).toEqual([expect.objectContaining({ kind: 'cash', cause: 'charges_not_debited' })]);
    const tca = await box.json(['tca']);
    expect(tca.code).toBe(0);
    const settlement = await box.json<{ settlements?: unknown[] }>(['settlement', '--broker', 'upstox']);
    expect(settlement.code).toBe(0);
    expect(JSON.stringify(settlement.body)).toMatch(/pending/);

    // Every command opened the adapter afresh; the instrument master was downloaded once for the day.
    expect(emu.masterDownloads()).toBe(1);

    const logout = await box.run(['brokers', 'logout', 'upstox']);
    expect(logout.code).toBe(0);
    expect(emu.accessTokens.size).toBe(0);
  }, 40_000);
});
