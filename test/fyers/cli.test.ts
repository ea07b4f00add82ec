import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FyersEmulator, startFyersEmulator } from '../emulators/fyers/fyers-emulator.js';
import { CliSandbox } from '../cli/cli-harness.js';

/**
 * `ptexec … --broker fyers` end to end against the emulator, in-process: login, status, a dry
 * run with Fyers' charges, market and TWAP execution, a crash and resume, reconcile, TCA,
 * settlement, renewal of an expired session with the refresh token and PIN, logout.
 */
let emu: FyersEmulator;
let box: CliSandbox;
let risk: string;
let target: string;

beforeAll(async () => {
  // Each ptexec process paces itself under Fyers' 10/s, but back-to-back commands share the window:
  // the emulator allows their sum here (the adapter's own pacing is tested against 10/s elsewhere).
  emu = await startFyersEmulator({ perSecond: 30, cash: 50_000_000_00, matchIntervalMs: 10, holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 20, t1Quantity: 5, averagePrice: 140_000 }] });
  box = new CliSandbox();
  risk = join(box.dir, 'risk.json');
  // The emulator trades at any hour and publishes no volume figures for the liquidity rule.
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  target = join(box.dir, 'target.csv');
  writeFileSync(target, 'symbol,target_quantity\nINFY,15\nSBIN,10\nTCS,2\n');
  box.extraEnv = {
    PTEXEC_FYERS_URL: emu.apiUrl,
    PTEXEC_FYERS_DATA_URL: emu.dataUrl,
    PTEXEC_FYERS_SYMBOLS_URL: emu.symbolsUrl,
    PTEXEC_FYERS_WS_URL: emu.wsUrl,
    PTEXEC_FYERS_API_KEY: emu.appId,
    PTEXEC_FYERS_API_SECRET: emu.appSecret,
  };
});
afterAll(async () => {
  box.cleanup();
  await emu.close();
});

const credentials = () => (JSON.parse(readFileSync(join(box.dir, 'config', 'ptexec', 'credentials.json'), 'utf8')) as { brokers: { fyers: Record<string, string> } }).brokers.fyers;
const placements = () => emu.server.calls.filter((c) => c.method === 'POST' && c.path === '/api/v3/orders/sync' && c.status === 200);

type RunResult = { run_id: string; broker: string; status: string; results: { symbol: string; side: string; quantity: number; status: string; filled_quantity: number; client_order_ids: string[] }[] };

describe('ptexec with --broker fyers (emulator on 127.0.0.1)', () => {
  it('logs in with the redirect URL (appIdHash and the refresh token stored), refuses a wrong secret with exit 5, shows the session without secrets', async () => {
    box.extraEnv.PTEXEC_FYERS_API_SECRET = 'WRONGSECRET';
    const wrong = await box.run(['brokers', 'login', 'fyers'], { input: `${emu.issueAuthCode()}\n` });
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toMatch(/Fyers refused the login .*code -16/);
    expect(wrong.stderr).toMatch(/check PTEXEC_FYERS_API_KEY \/ PTEXEC_FYERS_API_SECRET/);
    expect(wrong.stderr).not.toContain('WRONGSECRET');
    box.extraEnv.PTEXEC_FYERS_API_SECRET = emu.appSecret;

    const redirect = `https://trade.fyers.in/api-login/redirect-uri/index.html?s=ok&code=200&auth_code=${emu.issueAuthCode()}&state=ptexec`;
    const login = await box.run(['brokers', 'login', 'fyers'], { input: `${redirect}\n` });
    expect(login.code).toBe(0);
    expect(login.stderr).toContain(`${emu.apiUrl}/generate-authcode?client_id=${emu.appId}&redirect_uri=`);
    expect(login.stderr).toMatch(/logged in to fyers as XE00001/);
    const stored = credentials();
    expect(stored).toMatchObject({ user_id: 'XE00001', access_token: expect.stringMatching(/^eyJ/), refresh_token: expect.stringMatching(/^eyR/) });
    expect(Date.parse(stored.refresh_expires_at!) - Date.parse(stored.login_time!)).toBe(15 * 86_400_000);
    const validate = emu.server.calls.filter((c) => c.path === '/api/v3/validate-authcode').at(-1)!;
    expect(JSON.parse(validate.body)).toMatchObject({ grant_type: 'authorization_code', appIdHash: createHash('sha256').update(`${emu.appId}:${emu.appSecret}`).digest('hex') });

    const status = await box.json<{ brokers: { broker: string; logged_in: boolean; user_id: string }[] }>(['brokers', 'status']);
    expect(status.body.brokers.find((b) => b.broker === 'fyers')).toMatchObject({ logged_in: true, user_id: 'XE00001' });
    for (const text of [login.stdout, login.stderr, JSON.stringify(status.body)]) {
      for (const secret of [emu.appSecret, stored.access_token!, stored.refresh_token!]) expect(text).not.toContain(secret);
    }
  });

  it('plans with Fyers\' charges (dry run, nothing sent) and executes at market with our ids as orderTag', async () => {
    const dry = await box.json<{ dry_run: boolean; plan: { legs: { symbol: string; side: string; quantity: number; current: number; estimated_charges_minor: number }[] } }>(['rebalance', target, '--broker', 'fyers', '--dry-run', '--risk', risk]);
    expect(dry.code).toBe(0);
    // Owned INFY = 20 settled + 5 T1. Selling 10 (₹15,000): ₹20 brokerage, ₹15 STT, exchange and SEBI fees, ₹3.50 DP, GST.
    expect(dry.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity, l.current])).toEqual([['INFY', 'sell', 10, 25], ['SBIN', 'buy', 10, 0], ['TCS', 'buy', 2, 0]]);
    expect(dry.body.plan.legs[0]!.estimated_charges_minor).toBe(43_28);
    expect(placements()).toEqual([]);

    const run = await box.json<RunResult>(['rebalance', target, '--broker', 'fyers', '--yes', '--risk', risk]);
    expect(run.stderr).not.toMatch(/bug/);
    expect(run.code).toBe(0);
    expect(run.body).toMatchObject({ broker: 'fyers', status: 'completed' });
    expect(run.body.results.every((l) => l.status === 'complete' && l.filled_quantity === l.quantity)).toBe(true);
    expect(placements().map((c) => (JSON.parse(c.body) as { orderTag: string }).orderTag)).toEqual(run.body.results.flatMap((l) => l.client_order_ids));
    expect(emu.exchange.ownedQuantity('NSE', 'SBIN')).toBe(10);
  });

  it('a TWAP run killed once Fyers acknowledged its first slice is resumed to completion without a duplicate; reconcile, TCA and settlement read the books', async () => {
    const twap = join(box.dir, 'twap.csv');
    writeFileSync(twap, 'symbol,target_quantity\nRELIANCE,4\n');
    box.extraEnv.PTEXEC_FAILPOINT = 'order-acknowledged:1';
    const copies = ['', '-wal'].map((suffix) => [box.db + suffix, `${box.db}${suffix}.at-kill`] as const);
    let killedBy: string | undefined;
    await box.run(['rebalance', twap, '--broker', 'fyers', '--yes', '--json', '--risk', risk, '--algo', 'twap', '--duration', '2s', '--slices', '2', '--param', 'child_type=market'], {
      onSelfKill: (signal) => {
        killedBy = signal;
        for (const [from, to] of copies) if (existsSync(from)) copyFileSync(from, to);
      },
    });
    expect(killedBy).toBe('SIGKILL');
    for (const [from, to] of [...copies, [`${box.db}-shm`, ''] as const]) {
      rmSync(from, { force: true });
      if (to && existsSync(to)) renameSync(to, from);
    }
    delete box.extraEnv.PTEXEC_FAILPOINT;
    const resumed = await box.json<RunResult>(['resume', '--yes']);
    expect(resumed.stderr).not.toMatch(/bug/);
    expect(resumed.code).toBe(0);
    expect(resumed.body.results[0]).toMatchObject({ symbol: 'RELIANCE', status: 'complete', filled_quantity: 4 });
    expect(resumed.body.results[0]!.client_order_ids).toHaveLength(2);
    expect(emu.exchange.ownedQuantity('NSE', 'RELIANCE')).toBe(4);
    const tags = emu.exchange.orders().map((o) => o.clientRef);
    expect(new Set(tags).size).toBe(tags.length);

    // What ptexec recorded is what Fyers holds; the differences are the emulator's T1 INFY from before
    // ptexec's records and the charges a real broker debits with the contract note.
    const reconcile = await box.json<{ broker: string; positions: { symbol: string; ours: number; broker: number }[]; differences: { kind: string; cause: string }[] }>(['reconcile', '--broker', 'fyers']);
    expect(reconcile.body.broker).toBe('fyers');
    expect(reconcile.body.positions.every((p) => p.ours === p.broker)).toBe(true);
    expect(reconcile.body.differences.map((d) => d.cause)).toEqual(['unsettled_t1', 'charges_not_debited']);
    const tca = await box.json<{ legs: { symbol: string; broker: string; filled_quantity: number; shortfall: { charges: { amount_minor: number } } }[] }>(['tca']);
    expect(tca.code).toBe(0);
    expect(tca.body.legs[0]).toMatchObject({ symbol: 'RELIANCE', broker: 'fyers', filled_quantity: 4 });
    expect(tca.body.legs[0]!.shortfall.charges.amount_minor).toBeGreaterThan(0);
    const settlement = await box.json<{ days: { settle_date: string; pending: number; quantities: { symbol: string; quantity: number }[] }[] }>(['settlement']);
    expect(settlement.code).toBe(0);
    expect(settlement.body.days[0]!.quantities).toContainEqual({ exchange: 'NSE', symbol: 'RELIANCE', quantity: 4 });
  }, 15_000);

  it('renews an expired session with the stored refresh token and PIN (the new token stored); without a PIN, or with the refresh token expired, exit 5 with the login hint', async () => {
    const one = join(box.dir, 'one.csv');
    writeFileSync(one, 'symbol,target_quantity\nITC,1\n');
    const file = join(box.dir, 'config', 'ptexec', 'credentials.json');
    const expire = () => {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { brokers: { fyers: Record<string, string> } };
      stored.brokers.fyers.expires_at = new Date(Date.now() - 60_000).toISOString();
      writeFileSync(file, JSON.stringify(stored));
    };
    const { access_token: old, refresh_token: refreshToken } = credentials();
    emu.expireSession();
    expire();

    const noPin = await box.run(['rebalance', one, '--broker', 'fyers', '--yes', '--risk', risk]);
    expect(noPin.code).toBe(5);
    expect(noPin.stderr).toMatch(/the Fyers session expired and no PIN is stored to renew it with \(PTEXEC_FYERS_PIN, or "pin" in the credentials file\)/);
    expect(noPin.stderr).toMatch(/ptexec brokers login fyers/);

    box.extraEnv.PTEXEC_FYERS_PIN = emu.pin;
    const renewed = await box.json<RunResult>(['rebalance', one, '--broker', 'fyers', '--yes', '--risk', risk]);
    expect(renewed.code).toBe(0);
    expect(renewed.body.status).toBe('completed');
    expect(renewed.stderr).toMatch(/fyers: the session was renewed without a login/);
    const after = credentials();
    expect(after.access_token).not.toBe(old);
    expect(Date.parse(after.expires_at!)).toBeGreaterThan(Date.now());
    expect(after.refresh_token).toBe(refreshToken);
    const refresh = emu.server.calls.filter((c) => c.path === '/api/v3/validate-refresh-token').at(-1)!;
    expect(JSON.parse(refresh.body)).toEqual({ grant_type: 'refresh_token', appIdHash: createHash('sha256').update(`${emu.appId}:${emu.appSecret}`).digest('hex'), refresh_token: after.refresh_token, pin: emu.pin });
    for (const text of [JSON.stringify(renewed.body), renewed.stderr]) for (const secret of [emu.pin, after.access_token!, after.refresh_token!]) expect(text).not.toContain(secret);

    emu.expireSession();
    emu.expireRefreshTokens();
    expire();
    const refused = await box.run(['rebalance', one, '--broker', 'fyers', '--yes', '--risk', risk]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/the Fyers session expired and Fyers refused to renew it .*code -15/);
    expect(refused.stderr).toMatch(/ptexec brokers login fyers/);
    expect(refused.stderr).not.toContain(emu.pin);
    delete box.extraEnv.PTEXEC_FYERS_PIN;
  });

  it('logs out: the token is revoked at Fyers and removed from the file', async () => {
    const redirect = `https://trade.fyers.in/api-login/redirect-uri/index.html?s=ok&code=200&auth_code=${emu.issueAuthCode()}&state=ptexec`;
    expect((await box.run(['brokers', 'login', 'fyers'], { input: `${redirect}\n` })).code).toBe(0);
    const token = credentials().access_token!;
    const out = await box.run(['brokers', 'logout', 'fyers']);
    expect(out.code).toBe(0);
    expect(emu.server.calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/v3/logout', status: 200, headers: expect.objectContaining({ authorization: `${emu.appId}:${token}` }) });
    expect(credentials().access_token).toBeUndefined();
  });
});
