import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHWAB_EMULATOR_KEYS, type SchwabEmulator, startSchwabEmulator } from '../emulators/schwab/index.js';
import { CliSandbox } from '../cli/cli-harness.js';

type Result = { run_id: string; broker: string; status: string; results: { symbol: string; quantity: number; side: string; status: string; filled_quantity: number }[] };

let emu: SchwabEmulator;
let box: CliSandbox;
let risk: string;
beforeAll(async () => {
  emu = await startSchwabEmulator({ accessToken: null, cash: 100_000_000, holdings: [{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000 }], matchIntervalMs: 20 });
  box = new CliSandbox();
  risk = join(box.dir, 'risk.json');
  // The emulator trades at any hour and its instruments carry no volume figures.
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  box.extraEnv = {
    PTEXEC_SCHWAB_URL: emu.url,
    PTEXEC_SCHWAB_API_KEY: SCHWAB_EMULATOR_KEYS.apiKey,
    PTEXEC_SCHWAB_API_SECRET: SCHWAB_EMULATOR_KEYS.apiSecret,
    PTEXEC_SCHWAB_REDIRECT_URI: SCHWAB_EMULATOR_KEYS.redirectUri,
  };
});
afterAll(async () => {
  box.cleanup();
  await emu.close();
});

const placements = () => emu.server.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/orders'));
const credentialsFile = () => join(box.dir, 'config', 'ptexec', 'credentials.json');
const stored = () => (JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { schwab: Record<string, string> } }).brokers.schwab;
const restore = (changes: Record<string, string>) => {
  const file = JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { schwab: Record<string, string> } };
  Object.assign(file.brokers.schwab, changes);
  writeFileSync(credentialsFile(), JSON.stringify(file), { mode: 0o600 });
};

describe('ptexec with --broker schwab (Schwab emulator on 127.0.0.1)', () => {
  it('logs in with the pasted callback URL, plans in dollars with Schwab charges, executes until a crash and resumes without a duplicate, runs a TWAP, renews the 30-minute token, then reconciles, analyses, settles T+1 and logs out', async () => {
    const login = await box.run(['brokers', 'login', 'schwab'], { input: `${SCHWAB_EMULATOR_KEYS.redirectUri}/?code=${encodeURIComponent(emu.issueCode())}&session=1\n` });
    expect(login.stderr).toContain(`${emu.url}/v1/oauth/authorize?response_type=code&client_id=${SCHWAB_EMULATOR_KEYS.apiKey}`);
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/logged in to schwab as 12345678/);
    expect(emu.tokens.has(stored().access_token!)).toBe(true);
    expect(stored().refresh_token).toBe(SCHWAB_EMULATOR_KEYS.refreshToken);
    expect(JSON.stringify(stored())).not.toContain(SCHWAB_EMULATOR_KEYS.apiSecret);
    const status = await box.json<{ brokers: { broker: string; user_id?: string | null }[] }>(['brokers', 'status']);
    expect(status.body.brokers.find((b) => b.broker === 'schwab')).toMatchObject({ user_id: '12345678' });

    const target = join(box.dir, 'target.csv');
    writeFileSync(target, 'symbol,target_quantity\nAAPL,5\nMSFT,40\nAMZN,30\n');
    const dry = await box.json<{ plan: { currency?: string; legs: { symbol: string; side: string; quantity: number; estimated_charges: string }[] } }>(['rebalance', target, '--broker', 'schwab', '--dry-run', '--risk', risk]);
    expect(dry.stderr).not.toMatch(/this is a bug/);
    expect(dry.code).toBe(0);
    expect(dry.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([['AAPL', 'sell', 10], ['AMZN', 'buy', 30], ['MSFT', 'buy', 40]]);
    // Commission-free; the plan estimates a sale with the latest period of each regulatory fee: SEC $20.60 per million of
    // about $2,700 → $0.06, FINRA TAF 10 × $0.000232 (2027) → $0.01. Booked charges use the trade date's rates.
    expect(dry.body.plan.legs.map((l) => l.estimated_charges)).toEqual(['0.07', '0.00', '0.00']);
    expect(placements()).toEqual([]);

    // Executed at market; the process dies (SIGKILL) once its parent orders are recorded, before sending any.
    expect(await box.runKilledAt('parents-started:1', ['rebalance', target, '--broker', 'schwab', '--yes', '--no-ui', '--risk', risk])).toBe('SIGKILL');
    expect(placements()).toEqual([]);
    const resumed = await box.json<Result>(['resume', '--yes']);
    expect(resumed.stderr).not.toMatch(/this is a bug/);
    expect(resumed.code).toBe(0);
    expect(resumed.body).toMatchObject({ broker: 'schwab', status: 'completed' });
    const owned = () => Object.fromEntries(['AAPL', 'MSFT', 'AMZN'].map((s) => [s, emu.exchange.ownedQuantity('NASDAQ', s)]));
    expect(owned()).toEqual({ AAPL: 5, MSFT: 40, AMZN: 30 });
    // One Schwab order per leg, each the documented order JSON.
    expect(emu.exchange.orders().map((o) => `${o.side} ${o.quantity} ${o.symbol}`).sort()).toEqual(['BUY 30 AMZN', 'BUY 40 MSFT', 'SELL 10 AAPL']);
    for (const p of placements().filter((c) => c.status === 201)) expect(JSON.parse(p.body)).toMatchObject({ session: 'NORMAL', orderType: 'MARKET', orderStrategyType: 'SINGLE', orderLegCollection: [{ instrument: { assetType: 'EQUITY' } }] });

    // The access token lapses (30 minutes): the next command renews it with the refresh token, no browser.
    restore({ expires_at: new Date(Date.now() - 60_000).toISOString() });
    const more = join(box.dir, 'more.csv');
    writeFileSync(more, 'symbol,target_quantity\nMSFT,50\nAMZN,30\n');
    const twap = await box.json<Result>(['rebalance', more, '--broker', 'schwab', '--yes', '--no-ui', '--risk', risk, '--algo', 'twap', '--duration', '1s', '--slices', '1', '--param', 'child_type=market']);
    expect(twap.stderr).toMatch(/schwab: the session was renewed without a login/);
    expect(twap.code).toBe(0);
    expect(twap.body.results.map((l) => [l.symbol, l.side, l.quantity, l.status])).toEqual([['MSFT', 'buy', 10, 'complete']]);
    expect(emu.tokens.has(stored().access_token!)).toBe(true);

    // Positions agree share for share; the cash differs only by the charges the emulator does not debit.
    const reconcile = await box.json<{ positions: { symbol: string; ours: number; broker: number }[]; differences: { kind: string; cause: string }[] }>(['reconcile', '--broker', 'schwab']);
    expect(reconcile.stderr).not.toMatch(/this is a bug/);
    expect(reconcile.body.positions.map((p) => [p.symbol, p.ours, p.broker])).toEqual([['AAPL', 5, 5], ['AMZN', 30, 30], ['MSFT', 50, 50]]);
    const tca = await box.json(['tca']);
    expect(tca.code).toBe(0);
    const settlement = await box.json<{ settlements?: unknown[] }>(['settlement', '--broker', 'schwab']);
    expect(settlement.code).toBe(0);
    expect(JSON.stringify(settlement.body)).toMatch(/pending/);

    // Seven days on, the refresh token has expired too: a clear message to log in again, exit 5.
    restore({ expires_at: new Date(Date.now() - 60_000).toISOString(), refresh_expires_at: new Date(Date.now() - 1_000).toISOString() });
    const lapsed = await box.run(['reconcile', '--broker', 'schwab']);
    expect(lapsed.code).toBe(5);
    expect(lapsed.stderr).toMatch(/refresh token expired .*ptexec brokers login schwab/s);

    const logout = await box.run(['brokers', 'logout', 'schwab']);
    expect(logout.code).toBe(0);
    expect(stored()?.access_token).toBeUndefined();
  }, 40_000);
});
