import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliSandbox } from '../cli/cli-harness.js';
import { type FixEmulator, startFixEmulator } from '../emulators/fix/index.js';

type Result = { broker: string; status: string; results: { symbol: string; side: string; quantity: number; status: string; filled_quantity: number }[] };

let emu: FixEmulator;
let box: CliSandbox;
let risk: string;
beforeAll(async () => {
  emu = await startFixEmulator({ matchIntervalMs: 20, partialFills: true, cash: 100_000_000, holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000 }] });
  box = new CliSandbox();
  risk = join(box.dir, 'risk.json');
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  const account = join(box.dir, 'fix-account.json');
  writeFileSync(account, JSON.stringify({ cash: 1_000_000 }));
  const session = { host: emu.host, port: emu.port, sender_comp_id: emu.compIds.initiator, target_comp_id: emu.compIds.acceptor, currency: 'INR', exchange: 'NSE', account: 'DESK1', account_file: account, timeout_ms: 2_000 };
  mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
  writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ brokers: { fix: { sessions: { desk: session } } } }));
  box.extraEnv = { PTEXEC_FIX_DESK_PASSWORD: emu.password };
});
afterAll(async () => {
  box.cleanup();
  await emu.close();
});

describe('ptexec with --broker fix:<session> (FIX acceptor emulator on 127.0.0.1)', () => {
  it('refuses an unknown session naming the configured ones, plans, and rebalances through a drop mid-order with no order lost or sent twice, the sequence numbers kept for the next run', async () => {
    const target = join(box.dir, 'target.csv');
    writeFileSync(target, 'symbol,target_quantity\nINFY,25\nSBIN,40\n');
    const unknown = await box.run(['rebalance', target, '--broker', 'fix:nope', '--dry-run']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no fix session "nope" is configured/);
    expect(unknown.stderr).toContain('fix:desk');

    const dry = await box.json<{ plan: { legs: { symbol: string; side: string; quantity: number }[] } }>(['rebalance', target, '--broker', 'fix:desk', '--dry-run', '--risk', risk]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([['INFY', 'buy', 10], ['SBIN', 'buy', 40]]);
    expect(emu.exchange.orders()).toEqual([]);

    // The first NewOrderSingle is booked and the connection drops before its report.
    emu.faults.bookThenReset();
    const logons = () => emu.calls.filter((c) => c.path === '/fix/A').length;
    const before = logons();
    const run = await box.json<Result>(['rebalance', target, '--broker', 'fix:desk', '--yes', '--no-ui', '--risk', risk]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.body.broker).toBe('fix:desk');
    expect(logons() - before, 'logged on again after the drop').toBe(2);
    expect(run.body.results.map((r) => [r.symbol, r.status, r.filled_quantity])).toEqual([['INFY', 'complete', 10], ['SBIN', 'complete', 40]]);
    const refs = emu.exchange.orders().map((o) => o.clientRef);
    expect(new Set(refs).size, 'an order sent twice').toBe(refs.length);
    expect(JSON.stringify(run)).not.toContain(emu.password);

    // Both ends agree on the sequence numbers kept in the database; the next process logs on without a reset.
    const kept = () => new Database(box.db, { readonly: true }).prepare("SELECT next_out, next_in FROM fix_sessions WHERE session = 'desk'").get() as { next_out: number; next_in: number };
    expect(kept()).toEqual({ next_out: emu.sequences().nextIn, next_in: emu.sequences().nextOut });
    const positions = await box.json<{ positions?: unknown[] }>(['positions', '--broker', 'fix:desk']);
    expect(positions.code, positions.stderr).toBe(0);
    expect(kept().next_out).toBe(emu.sequences().nextIn);
  });
});
