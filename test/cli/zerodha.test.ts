import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAPER_UNIVERSE } from '../../src/brokers/paper/universe.js';
import { startKiteEmulator, type EmulatedInstrument, type KiteEmulator } from '../emulators/kite/index.js';
import { CliSandbox, collect, ROOT, waitUntil } from './cli-harness.js';

/** The ten names of examples/portfolio.json, listed by the emulator with paper-like prices. */
const SYMBOLS = ['RELIANCE', 'TCS', 'HDFCBANK', 'INFY', 'ICICIBANK', 'ITC', 'SBIN', 'LT', 'BHARTIARTL', 'HINDUNILVR'];
const INSTRUMENTS: EmulatedInstrument[] = SYMBOLS.map((symbol, i) => {
  const p = PAPER_UNIVERSE.find((x) => x.symbol === symbol && x.exchange === 'NSE')!;
  const last = p.referencePrice;
  return { token: 100_001 + i, symbol, exchange: 'NSE', name: p.name.toUpperCase(), tick: p.tickSize, lot: 1, bid: last - p.tickSize, ask: last + p.tickSize, last, close: last, volume: 5_000_000 };
});

type Result = { run_id: string; broker: string; status: string; results: { symbol: string; quantity: number; side: string; status: string; reason: string | null; filled_quantity: number }[] };

let emu: KiteEmulator;
let box: CliSandbox;
let risk: string;
beforeEach(async () => {
  emu = await startKiteEmulator({ instruments: INSTRUMENTS, cash: 1_000_000_000 });
  box = new CliSandbox();
  // The emulator trades at any hour, and Kite's instrument master has no volume figures.
  risk = join(box.dir, 'risk.json');
  writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
  box.extraEnv = {
    PTEXEC_ZERODHA_URL: emu.url,
    PTEXEC_ZERODHA_WS_URL: emu.wsUrl,
    PTEXEC_ZERODHA_API_KEY: emu.apiKey,
    PTEXEC_ZERODHA_ACCESS_TOKEN: 'emuaccesstoken0001',
  };
});
afterEach(async () => {
  box.cleanup();
  await emu.close();
});

const placements = () => emu.state.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/orders/'));

describe('ptexec rebalance --broker zerodha (Kite emulator on 127.0.0.1)', () => {
  it('refuses to send real orders without a terminal or --yes (exit 2, nothing sent)', async () => {
    const r = await box.run(['rebalance', join(ROOT, 'examples', 'portfolio.json'), '--broker', 'zerodha', '--risk', risk]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to send without confirmation: these are real orders to zerodha/);
    expect(placements()).toEqual([]);
  });

  it('a mistyped API URL is "broker unreachable" (exit 5) naming the URL, not "incomplete"', async () => {
    emu.faults.answerAsForeign();
    const r = await box.run(['rebalance', join(ROOT, 'examples', 'portfolio.json'), '--broker', 'zerodha', '--yes', '--risk', risk]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`GET /user/profile: HTTP 404 from ${emu.url}/user/profile (text/html), not the Kite API`);
    expect(r.stderr).toContain(`is the API URL right? ptexec called ${emu.url} (PTEXEC_ZERODHA_URL, else brokers.zerodha.api_url in config.json)`);
    expect(placements()).toEqual([]);
  });

  it('completes examples/portfolio.json with the same results shape as on paper', async () => {
    const r = await box.json<Result>(['rebalance', join(ROOT, 'examples', 'portfolio.json'), '--broker', 'zerodha', '--yes', '--risk', risk]);
    expect(r.stderr).not.toMatch(/bug|MaxListenersExceededWarning/);
    expect(r.code).toBe(0);
    expect(r.body).toMatchObject({ broker: 'zerodha', status: 'completed' });
    expect(r.body.results).toHaveLength(10);
    for (const leg of r.body.results) {
      expect(leg).toMatchObject({ side: 'buy', status: 'complete', reason: null });
      expect(leg.filled_quantity).toBe(leg.quantity);
    }
    // Every order carried a Kite tag and market protection, form-encoded.
    expect(placements()).toHaveLength(10);
    for (const p of placements()) {
      expect(p.body).toMatch(/tag=[A-Za-z0-9]{1,20}(&|$)/);
      expect(p.body).toMatch(/market_protection=-1/);
    }
    // Kite lists today's buys as positions, not holdings: ptexec counts them as owned all the same.
    const positions = await box.json<{ broker: string; positions: { symbol: string; quantity: number; today_quantity: number; owned_quantity: number }[] }>(['positions', '--broker', 'zerodha']);
    expect(positions.body.positions.find((p) => p.symbol === 'RELIANCE')).toMatchObject({ quantity: 0, today_quantity: 200, owned_quantity: 200 });
    expect(emu.state.exchange.holdings.map((h) => h.symbol)).toEqual(['INFY']);
    // Another target the same day naming RELIANCE again plans from the first run's fills.
    const again = join(box.dir, 'again.csv');
    writeFileSync(again, 'symbol,target_quantity\nRELIANCE,200\n');
    const check = await box.json<{ plan: { legs: unknown[]; skipped: { symbol: string; reason: string }[] } }>(['check', again, '--broker', 'zerodha', '--risk', risk]);
    expect(check.code).toBe(0);
    expect(check.body.plan.legs).toEqual([]);
    expect(check.body.plan.skipped).toContainEqual({ symbol: 'RELIANCE', exchange: 'NSE', reason: 'already at target' });
  });

  it('an expired session mid-run stops with a clear message; after a new login the run resumes and completes', async () => {
    const target = join(box.dir, 't.csv');
    writeFileSync(target, 'symbol,target_quantity\nINFY,40\nTCS,20\n');
    // In this process: the test expires the session while the command runs beside it.
    const done = box.run(['rebalance', target, '--broker', 'zerodha', '--yes', '--risk', risk, '--algo', 'twap', '--duration', '4s', '--slices', '4', '--param', 'child_type=market']);
    const deadline = Date.now() + 20_000;
    while (!emu.state.exchange.orders().some((o) => o.filled_quantity > 0)) {
      if (Date.now() > deadline) throw new Error('no fill in time');
      await new Promise((r) => setTimeout(r, 25));
    }
    emu.state.expireTokens();
    const first = await done;
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/log in again \(ptexec brokers login zerodha\) and run ptexec resume/);
    expect(first.stderr).not.toMatch(/emuaccesstoken/);

    emu.state.accessTokens.add('emuaccesstoken0002');
    box.extraEnv.PTEXEC_ZERODHA_ACCESS_TOKEN = 'emuaccesstoken0002';
    const resumed = await box.json<Result>(['resume', '--yes']);
    expect(resumed.code).toBe(0);
    expect(resumed.body.status).toBe('completed');
    expect(resumed.body.results.map((l) => [l.symbol, l.filled_quantity === l.quantity])).toEqual([
      ['INFY', true],
      ['TCS', true],
    ]);
    const owned = (symbol: string) => emu.state.exchange.ownedQuantity('NSE', symbol);
    expect({ INFY: owned('INFY'), TCS: owned('TCS') }).toEqual({ INFY: 40, TCS: 20 });
    // The placement refused for the expired token never became an order; no order exists twice.
    const tags = emu.state.exchange.orders().map((o) => o.tag);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('limit orders an interrupted run left working at Kite are all cancelled by `ptexec cancel`; nothing new is sent', async () => {
    // One more share of five names (the account holds 15 INFY), 1.5% under the market on the tick: they rest until cancelled.
    const positions = INSTRUMENTS.slice(0, 5).map((i) => ({ symbol: i.symbol, quantity: i.symbol === 'INFY' ? 16 : 1, limit_price: (Math.round((i.last * 0.985) / i.tick) * i.tick) / 100 }));
    const target = join(box.dir, 'resting.json');
    writeFileSync(target, JSON.stringify({ positions }));
    const working = () => emu.state.exchange.orders().filter((o) => o.status === 'OPEN');
    const run = box.spawn(['rebalance', target, '--broker', 'zerodha', '--yes', '--no-ui', '--risk', risk, '--duration', '30m']);
    const done = collect(run, undefined, 60_000);
    await waitUntil('five limit orders open at the emulator', () => working().length === 5);
    run.kill('SIGTERM');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    expect(working()).toHaveLength(5);
    expect(placements()).toHaveLength(5);

    const cancelled = await box.json<{ status: string; orders: { status: string }[]; still_open: string[] }>(['cancel', '--yes']);
    expect(cancelled.stderr).not.toMatch(/this is a bug/);
    expect(cancelled.code).toBe(0);
    expect(cancelled.body).toMatchObject({ status: 'incomplete', still_open: [] });
    expect(cancelled.body.orders).toHaveLength(5);
    expect(cancelled.body.orders.every((o) => o.status === 'cancelled')).toBe(true);
    expect(working()).toEqual([]);
    expect(emu.state.exchange.orders().every((o) => o.status === 'CANCELLED')).toBe(true);
    expect(placements()).toHaveLength(5);
  });
});

