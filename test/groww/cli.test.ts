import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliSandbox } from '../cli/cli-harness.js';
import { GROWW_EMULATOR_KEYS, type GrowwEmulator, startGrowwEmulator } from '../emulators/groww/groww-emulator.js';

type Result = { run_id: string; broker: string; status: string; results: { symbol: string; quantity: number; side: string; status: string; filled_quantity: number }[] };

let emu: GrowwEmulator;
let box: CliSandbox;
let risk: string;
beforeAll(async () => {
  emu = await startGrowwEmulator({ accessToken: null, cash: 1_000_000_000, holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000 }], matchIntervalMs: 10 });
  box = new CliSandbox();
  risk = join(box.dir, 'risk.json');
  // The emulator trades at any hour and its instrument master has no volume figures.
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
  writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ brokers: { groww: { poll_ms: 100 } } }));
  box.extraEnv = {
    PTEXEC_GROWW_URL: emu.url,
    PTEXEC_GROWW_INSTRUMENTS_URL: emu.instrumentsUrl,
    PTEXEC_GROWW_API_KEY: GROWW_EMULATOR_KEYS.apiKey,
    PTEXEC_GROWW_TOTP_SECRET: GROWW_EMULATOR_KEYS.totpSecret,
  };
});
afterAll(async () => {
  box.cleanup();
  await emu.close();
});

const credentialsFile = () => join(box.dir, 'config', 'ptexec', 'credentials.json');
const stored = () => (JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { groww: Record<string, string> } }).brokers.groww;
const placements = () => emu.server.calls.filter((c) => c.method === 'POST' && c.path === '/v1/order/create');

describe('ptexec with --broker groww (Groww emulator on 127.0.0.1)', () => {
  it('logs in with the stored TOTP secret, renews an expired session unattended, and refuses a wrong TOTP secret', async () => {
    // Without the API key and no terminal to ask on: exit 2, naming the variable.
    const { PTEXEC_GROWW_API_KEY: key, ...rest } = box.extraEnv;
    box.extraEnv = rest;
    const noKey = await box.run(['brokers', 'login', 'groww']);
    expect([noKey.code, noKey.stderr]).toEqual([2, expect.stringContaining('no Groww Trading API key: set PTEXEC_GROWW_API_KEY, or run this on a terminal to be asked')]);
    box.extraEnv = { ...rest, PTEXEC_GROWW_API_KEY: key! };

    const login = await box.run(['brokers', 'login', 'groww']);
    expect(login.stderr).toMatch(/logged in to groww as ptexec/);
    expect(login.code).toBe(0);
    expect(stored().access_token).toBe(emu.issued[0]);
    for (const text of [login.stdout, login.stderr]) for (const secret of [GROWW_EMULATOR_KEYS.totpSecret, GROWW_EMULATOR_KEYS.apiKey, emu.issued[0]!]) expect(text).not.toContain(secret);
    const status = await box.json<{ brokers: { broker: string; logged_in: boolean }[] }>(['brokers', 'status']);
    expect(status.body.brokers.find((b) => b.broker === 'groww')).toMatchObject({ logged_in: true });

    // The day's token has expired: the next command renews it from the TOTP secret, without a person.
    const file = JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { brokers: { groww: Record<string, string> } };
    file.brokers.groww.expires_at = '2020-01-01T00:30:00.000Z';
    writeFileSync(credentialsFile(), JSON.stringify(file));
    const positions = await box.json<{ broker: string }>(['positions', '--broker', 'groww']);
    expect(positions.code, positions.stderr).toBe(0);
    expect(positions.stderr).toMatch(/groww: the session was renewed without a login/);
    expect(emu.issued).toHaveLength(2);
    expect(stored().access_token).toBe(emu.issued[1]);

    // A wrong TOTP secret is refused with what to check (exit 5); the secret is not echoed.
    box.extraEnv.PTEXEC_GROWW_TOTP_SECRET = 'GEZDGNBVGY3TQOJQ';
    const refused = await box.run(['brokers', 'login', 'groww']);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/Groww refused the login .*GA005 \(HTTP 401\): Invalid TOTP/);
    expect(refused.stderr).toMatch(/PTEXEC_GROWW_TOTP_SECRET/);
    expect(refused.stderr).not.toContain('GEZDGNBVGY3TQOJQ');
    box.extraEnv.PTEXEC_GROWW_TOTP_SECRET = GROWW_EMULATOR_KEYS.totpSecret;
  });

  it('plans with Groww\'s charges, executes market and TWAP legs, resumes after a crash without a duplicate, reconciles, reports TCA and settlement, and logs out', async () => {
    const target = join(box.dir, 'target.csv');
    writeFileSync(target, 'symbol,target_quantity\nINFY,25\nSBIN,12\n');
    const dry = await box.json<{ plan: { legs: { symbol: string; side: string; quantity: number }[] }; charges?: unknown }>(['rebalance', target, '--broker', 'groww', '--dry-run', '--risk', risk]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([
      ['INFY', 'buy', 10],
      ['SBIN', 'buy', 12],
    ]);
    // Groww's schedule: ₹15.00 brokerage (0.1% of ₹15,001) where Zerodha charges none, STT, stamp, exchange, SEBI, IPFT, GST.
    expect((dry.body.plan.legs as unknown as { estimated_charges_minor: number }[]).map((l) => l.estimated_charges_minor)).toEqual([3528, 2269]);
    expect(placements()).toEqual([]);

    const market = await box.json<Result>(['rebalance', target, '--broker', 'groww', '--yes', '--risk', risk]);
    expect(market.stderr).not.toMatch(/bug/);
    expect(market.code).toBe(0);
    expect(market.body).toMatchObject({ broker: 'groww', status: 'completed' });
    expect(market.body.results.every((l) => l.filled_quantity === l.quantity)).toBe(true);
    for (const p of placements()) expect(JSON.parse(p.body).order_reference_id).toMatch(/^[A-Za-z0-9-]{8,20}$/);

    const twapTarget = join(box.dir, 'twap.csv');
    writeFileSync(twapTarget, 'symbol,target_quantity\nTCS,4\n');
    const twap = await box.json<Result>(['rebalance', twapTarget, '--broker', 'groww', '--yes', '--risk', risk, '--algo', 'twap', '--duration', '2s', '--slices', '2', '--param', 'child_type=market']);
    expect(twap.code, twap.stderr).toBe(0);
    expect(twap.body.results).toMatchObject([{ symbol: 'TCS', quantity: 4, filled_quantity: 4 }]);

    // Killed right after the first fill was recorded: the resumed run finds its orders at Groww by their references.
    const crashTarget = join(box.dir, 'crash.csv');
    writeFileSync(crashTarget, 'symbol,target_quantity\nITC,6\nRELIANCE,3\n');
    box.extraEnv.PTEXEC_FAILPOINT = 'fill-recorded:1';
    const copies = ['', '-wal'].map((suffix) => [box.db + suffix, `${box.db}${suffix}.at-kill`] as const);
    const crashed = await box.run(['rebalance', crashTarget, '--broker', 'groww', '--yes', '--risk', risk, '--json'], {
      onSelfKill: () => {
        for (const [from, to] of copies) if (existsSync(from)) copyFileSync(from, to);
      },
    });
    delete box.extraEnv.PTEXEC_FAILPOINT;
    for (const [from, to] of [...copies, [`${box.db}-shm`, ''] as const]) {
      rmSync(from, { force: true });
      if (to && existsSync(to)) renameSync(to, from);
    }
    expect(crashed.code).not.toBe(0);
    const resumed = await box.json<Result>(['resume', '--yes']);
    expect(resumed.code).toBe(0);
    expect(resumed.body.status).toBe('completed');
    expect(emu.exchange.ownedQuantity('NSE', 'ITC')).toBe(6);
    expect(emu.exchange.ownedQuantity('NSE', 'RELIANCE')).toBe(3);
    const references = emu.exchange.orders().map((o) => o.clientRef);
    expect(new Set(references).size).toBe(references.length);

    // Positions agree; the cash differs by the charges the emulator (like Groww before the contract note) has not debited: exit 4.
    const reconcile = await box.json<{ positions: { ours: number; broker: number }[]; differences: { kind: string; cause: string }[] }>(['reconcile', '--broker', 'groww']);
    expect(reconcile.code).toBe(4);
    expect(reconcile.body.positions.every((p) => p.ours === p.broker)).toBe(true);
    expect(reconcile.body.differences.map((d) => [d.kind, d.cause])).toEqual([['cash', 'charges_not_debited']]);
    const tca = await box.json<Record<string, unknown>>(['tca']);
    expect(tca.code).toBe(0);
    const settlement = await box.json<{ settlements?: unknown[] } & Record<string, unknown>>(['settlement', '--broker', 'groww']);
    expect(settlement.code).toBe(0);
    expect(JSON.stringify(settlement.body)).toMatch(/groww/);

    // Groww cannot revoke a token by API: logout forgets it and says so.
    const logout = await box.run(['brokers', 'logout', 'groww']);
    expect(logout.code).toBe(0);
    expect(logout.stderr).toMatch(/Groww has no API to revoke a token/);
    expect(logout.stderr).toMatch(/removed locally/);
    expect(stored().access_token).toBeUndefined();
  }, 30_000);
});
