import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AngelEmulator, ANGEL_EMULATOR_DEFAULTS, startAngelEmulator } from '../emulators/angelone/angel-emulator.js';
import { CliSandbox } from '../cli/cli-harness.js';

let emu: AngelEmulator;
let box: CliSandbox;
let risk: string;
beforeEach(async () => {
  // SmartAPI allows one login and one order-book read a second; these runs would take seconds of
  // waiting, so the test relaxes the emulator's limits and turns the adapter's pacing off.
  emu = await startAngelEmulator({ limits: { orders: 20, session: 10 }, cash: 1_000_000_000, holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000 }] });
  box = new CliSandbox();
  // The emulator trades at any hour, and the instrument master has no volume figures.
  risk = join(box.dir, 'risk.json');
  mkdirpWrite(join(box.dir, 'config', 'ptexec', 'config.json'), { brokers: { angelone: { rate_limit: false, poll_ms: 50 } } });
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  box.extraEnv = {
    PTEXEC_ANGELONE_URL: emu.url,
    PTEXEC_ANGELONE_INSTRUMENTS_URL: emu.masterUrl,
    PTEXEC_ANGELONE_API_KEY: ANGEL_EMULATOR_DEFAULTS.apiKey,
    PTEXEC_ANGELONE_CLIENT_CODE: ANGEL_EMULATOR_DEFAULTS.clientCode,
    PTEXEC_ANGELONE_PIN: ANGEL_EMULATOR_DEFAULTS.pin,
  };
});
afterEach(async () => {
  box.cleanup();
  await emu.close();
});

const credentialsFile = () => join(box.dir, 'config', 'ptexec', 'credentials.json');
const stored = () => (JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { angelone: Record<string, string> } }).brokers.angelone;
const placements = () => emu.server.calls.filter((c) => c.path.endsWith('/placeOrder'));

describe('ptexec brokers login / status / logout angelone (SmartAPI emulator)', () => {
  it('asks for the 6-digit code without a stored secret; a wrong code is exit 5 naming the code; the session is stored 0600 and revoked at logout', async () => {
    const wrong = emu.currentTotp() === '000000' ? '111111' : '000000';
    const refused = await box.run(['brokers', 'login', 'angelone'], { input: `${wrong}\n` });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/Angel One refused the TOTP code .*AB1050/);

    const login = await box.run(['brokers', 'login', 'angelone'], { input: `${emu.currentTotp()}\n` });
    expect(login.stderr).toMatch(/logged in to angelone as A123456/);
    expect(login.code).toBe(0);
    expect(statSync(credentialsFile()).mode & 0o777).toBe(0o600);
    const session = stored();
    expect(emu.jwts.has(session.access_token!)).toBe(true);
    expect(session.refresh_token).toMatch(/^refresh\./);
    // The PIN came from the environment: it stays there, and appears in no output.
    expect(session.pin).toBeUndefined();
    for (const text of [login.stdout, login.stderr]) {
      expect(text).not.toContain(session.access_token);
      expect(text).not.toContain(`"${ANGEL_EMULATOR_DEFAULTS.pin}"`);
    }

    const status = await box.json<{ brokers: { broker: string; logged_in: boolean; user_id: string }[] }>(['brokers', 'status']);
    expect(status.body.brokers.find((b) => b.broker === 'angelone')).toMatchObject({ logged_in: true, user_id: 'A123456' });

    const logout = await box.run(['brokers', 'logout', 'angelone']);
    expect(logout.code).toBe(0);
    expect(emu.jwts.has(session.access_token!)).toBe(false);
    expect(stored().access_token).toBeUndefined();
  });
});

type Result = { run_id: string; broker: string; status: string; results: { symbol: string; quantity: number; side: string; status: string; filled_quantity: number }[] };

describe('ptexec rebalance --broker angelone (SmartAPI emulator)', () => {
  it('renews an expired session with the stored TOTP secret; plans with Angel One charges, executes market and TWAP, resumes after a crash, reconciles, TCA, settlement', async () => {
    // A session that expired (yesterday's), and a TOTP secret to renew it with.
    mkdirpWrite(credentialsFile(), { version: 1, brokers: { angelone: { access_token: 'stalejwt', expires_at: '2020-01-01T18:30:00.000Z' } } });
    box.extraEnv.PTEXEC_ANGELONE_TOTP_SECRET = ANGEL_EMULATOR_DEFAULTS.totpSecret;
    const target = join(box.dir, 't.csv');
    writeFileSync(target, 'symbol,target_quantity\nINFY,20\nSBIN,10\n');
    const plan = await box.json<{ plan: { legs: { symbol: string; side: string; quantity: number; estimated_charges_minor: number }[] } }>(['rebalance', target, '--broker', 'angelone', '--dry-run', '--risk', risk]);
    expect(plan.stderr).toMatch(/angelone: the session was renewed without a login/);
    expect(plan.code).toBe(0);
    expect(plan.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([
      ['INFY', 'buy', 5],
      ['SBIN', 'buy', 10],
    ]);
    // Angel One's schedule: 0.1% brokerage on delivery (₹8 on ₹8,000 of SBIN) besides STT, stamp, exchange and GST.
    const sbinCharges = plan.body.plan.legs.find((l) => l.symbol === 'SBIN')!.estimated_charges_minor;
    expect(sbinCharges).toBeGreaterThan(1_600);
    expect(sbinCharges).toBeLessThan(2_500);
    expect(emu.jwts.has(stored().access_token!)).toBe(true);
    expect(placements()).toHaveLength(0);

    const run = await box.json<Result>(['rebalance', target, '--broker', 'angelone', '--yes', '--risk', risk]);
    expect(run.stderr).not.toMatch(/bug/);
    expect(run.code).toBe(0);
    expect(run.body).toMatchObject({ broker: 'angelone', status: 'completed' });
    expect(run.body.results.map((l) => [l.symbol, l.filled_quantity])).toEqual([
      ['INFY', 5],
      ['SBIN', 10],
    ]);
    for (const p of placements()) expect(JSON.parse(p.body)).toMatchObject({ ordertag: expect.stringMatching(/^[A-Za-z0-9]{1,20}$/), quantity: expect.any(String), symboltoken: expect.any(String) });
    expect(emu.exchange.ownedQuantity('NSE', 'SBIN')).toBe(10);

    // A scheduled algorithm, killed after its first acknowledged order, then resumed.
    writeFileSync(target, 'symbol,target_quantity\nINFY,20\nSBIN,10\nITC,40\n');
    let killed = false;
    box.extraEnv.PTEXEC_FAILPOINT = 'order-acknowledged:1';
    const crashed = await box.run(['rebalance', target, '--broker', 'angelone', '--yes', '--risk', risk, '--algo', 'twap', '--duration', '2s', '--slices', '2', '--param', 'child_type=market'], {
      onSelfKill: () => (killed = true),
    });
    expect(crashed.code, crashed.stderr).not.toBe(0);
    expect(killed).toBe(true);
    delete box.extraEnv.PTEXEC_FAILPOINT;
    const resumed = await box.json<Result>(['resume', '--yes']);
    expect(resumed.stderr).not.toMatch(/bug/);
    expect(resumed.body.status).toBe('completed');
    expect(emu.exchange.ownedQuantity('NSE', 'ITC')).toBe(40);
    const tags = emu.exchange.orders().map((o) => o.clientRef);
    expect(new Set(tags).size).toBe(tags.length);

    // The books agree share for share; only the charges the emulator does not debit differ (exit 4).
    const reconcile = await box.json<{ positions: { symbol: string; ours: number; broker: number }[]; differences: { kind: string; cause: string }[] }>(['reconcile', '--broker', 'angelone']);
    expect(reconcile.body.positions.map((p) => [p.symbol, p.ours, p.broker])).toEqual([
      ['INFY', 20, 20],
      ['ITC', 40, 40],
      ['SBIN', 10, 10],
    ]);
    expect(reconcile.body.differences).toEqual([expect.objectContaining({ kind: 'cash', cause: 'charges_not_debited' })]);
    expect(reconcile.code).toBe(4);
    const tca = await box.run(['tca', '--json']);
    expect(tca.code).toBe(0);
    const settlement = await box.json<Record<string, unknown>>(['settlement', '--broker', 'angelone']);
    expect(settlement.code).toBe(0);
    expect(JSON.stringify(settlement.body)).toMatch(/ITC/);
  }, 30_000);

  it('without a TOTP secret an expired session is exit 5 with the login hint, and nothing is sent', async () => {
    mkdirpWrite(credentialsFile(), { version: 1, brokers: { angelone: { access_token: 'stalejwt', expires_at: '2020-01-01T18:30:00.000Z' } } });
    const target = join(box.dir, 't.csv');
    writeFileSync(target, 'symbol,target_quantity\nSBIN,10\n');
    const r = await box.run(['rebalance', target, '--broker', 'angelone', '--yes', '--risk', risk]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/no TOTP secret is stored/);
    expect(r.stderr).toMatch(/ptexec brokers login angelone/);
    expect(placements()).toHaveLength(0);
  });
});

function mkdirpWrite(file: string, body: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(body), { mode: 0o600 });
}
