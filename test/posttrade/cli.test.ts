import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaperBroker, resetPaperAccount } from '../../src/brokers/paper/index.js';
import type { NewEvent, PayloadOf } from '../../src/domain/events/index.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { accountSnapshotEvent } from '../../src/engine/ledger/snapshot.js';
import { marketSampledEvent } from '../../src/engine/tca/market-sample.js';
import { openDatabase } from '../../src/app/database.js';
import { violations } from '../schemas/contract.js';
import { connectionOf } from '../../src/store/connection.js';
import { ROOT, runCli } from '../cli/cli-harness.js';

// These run the compiled CLI (`npm run build` first, as `npm test` does).
const dir = mkdtempSync(join(tmpdir(), 'ptexec-posttrade-'));

async function ptexec(db: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCli(args, { env: { ...process.env, NO_COLOR: '1', PTEXEC_DB: db, PTEXEC_CONFIG_DIR: join(dir, 'config') } });
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const T0 = Date.parse('2025-01-07T10:00:00+05:30');
const MIN = 60_000;

/** A run with one TWAP leg (buy 300 INFY, two children) and one market leg (sell 50 TCS, partly filled). */
function seedRun(path: string): void {
  const store = openDatabase(path);
  const order = (clientOrderId: string, leg: number, symbol: string, side: 'buy' | 'sell', quantity: number, extra: Partial<PayloadOf<'order.created'>>): NewEvent => ({
    runId: 'run-a',
    type: 'order.created',
    marketTs: T0,
    payload: { clientOrderId, leg, broker: 'paper', account: 'PAPER', symbol, exchange: 'NSE', side, type: 'market', quantity, timeInForce: 'day', product: 'delivery', ...extra },
  });
  const fill = (clientOrderId: string, tradeId: string, symbol: string, side: 'buy' | 'sell', quantity: number, price: number, ts: number): NewEvent => ({
    runId: 'run-a',
    type: 'fill.recorded',
    marketTs: ts,
    payload: { clientOrderId, tradeId, brokerOrderId: `B-${clientOrderId}`, broker: 'paper', account: 'PAPER', symbol, exchange: 'NSE', side, quantity, price, ts },
  });
  const events: NewEvent[] = [
    { runId: 'run-a', type: 'run.created', marketTs: T0, payload: { runId: 'run-a', broker: 'paper', account: 'PAPER', tradingDate: '2025-01-07', targetHash: 'h', source: 'test', dryRun: false, options: {} } },
    order('P0', 0, 'INFY', 'buy', 300, { algo: 'twap', arrivalPrice: 150_000, decisionPrice: 149_500 }),
    order('P0-1', 0, 'INFY', 'buy', 150, { parentId: 'P0', algo: 'twap' }),
    order('P0-2', 0, 'INFY', 'buy', 150, { parentId: 'P0', algo: 'twap' }),
    order('P1', 1, 'TCS', 'sell', 50, { algo: 'market', arrivalPrice: 400_000, decisionPrice: 401_000 }),
    order('P1-1', 1, 'TCS', 'sell', 50, { parentId: 'P1', algo: 'market' }),
  ];
  for (let i = 0; i <= 12; i++) {
    events.push(marketSampledEvent('run-a', { symbol: 'INFY', exchange: 'NSE', ts: T0 + i * MIN, bid: 150_000 + i * 10, ask: 150_020 + i * 10, last: 150_010 + i * 10, volume: 10_000 + i * 1_000 }));
  }
  events.push(fill('P0-1', 'T1', 'INFY', 'buy', 150, 150_050, T0 + 2 * MIN));
  events.push(fill('P0-2', 'T2', 'INFY', 'buy', 150, 150_100, T0 + 6 * MIN));
  events.push(fill('P1-1', 'T3', 'TCS', 'sell', 40, 399_500, T0 + MIN));
  events.push({ runId: 'run-a', type: 'order.status', marketTs: T0 + 6 * MIN, payload: { clientOrderId: 'P0', from: 'accepted', to: 'filled' } });
  store.append(events);
  store.close();
}

describe('post-trade commands (compiled CLI)', () => {
  const runDb = join(dir, 'run.db');
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli/commands/tca.js'))) throw new Error('build first: npm run build');
    seedRun(runDb);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('charges: the calculator prints the hand-computed breakdown', async () => {
    const r = await ptexec(runDb, 'charges', '--broker', 'zerodha', '--side', 'buy', '--qty', '100', '--price', '2500.50', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(violations('charges.json', out)).toEqual([]);
    expect([out.total, out.total_minor, out.price]).toEqual(['297.06', 29_706, '2500.50']);
    expect(Object.fromEntries(out.components.map((c: { id: string; amount_minor: number }) => [c.id, c.amount_minor]))).toMatchObject({ stt: 25_000, exchange: 743, sebi: 25, stamp: 3_800, gst: 138 });
    const text = await ptexec(runDb, 'charges', '--broker', 'zerodha', '--side', 'sell', '--qty', '100', '--price', '2500.50', '--exchange', 'BSE');
    expect(text.stdout).toMatch(/DP charge\s+13\.50/);
    expect(text.stdout).toMatch(/Total\s+277\.29/);
  });

  it('charges: bad input exits 2 and says why', async () => {
    const broker = await ptexec(runDb, 'charges', '--broker', 'nosuch', '--side', 'buy', '--qty', '1', '--price', '10');
    const price = await ptexec(runDb, 'charges', '--side', 'buy', '--qty', '1', '--price', '10.123');
    expect(broker.code).toBe(2);
    expect(broker.stderr).toMatch(/no charge schedule for "nosuch"/);
    expect(price.code).toBe(2);
    expect(price.stderr).toMatch(/more than two decimal places/);
  });

  it('tca --input: the JSON and CSV examples give the same report', async () => {
    const json = await ptexec(runDb, 'tca', '--input', 'examples/tca-input.json', '--json');
    const csv = await ptexec(runDb, 'tca', '--input', 'examples/tca-input.csv', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(csv.stdout)).toEqual(JSON.parse(json.stdout));
    const tcs = JSON.parse(json.stdout).legs[1];
    expect(tcs.shortfall).toEqual({
      delay: { amount: '1000.00', amount_minor: 100_000, bps: 12.2 },
      trading: { amount: '600.00', amount_minor: 60_000, bps: 7.32 },
      opportunity: { amount: '750.00', amount_minor: 75_000, bps: 9.15 },
      charges: { amount: '662.95', amount_minor: 66_295, bps: 8.08 },
      total: { amount: '3012.95', amount_minor: 301_295, bps: 36.74 },
    });
    expect(violations('tca.json', JSON.parse(json.stdout))).toEqual([]);
  });

  it('tca --input: an invalid file exits 2 naming the place', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ orders: [{ symbol: 'X', side: 'buy', quantity: 10, decision_price: 1, arrival_price: 1, fills: [{ quantity: 1 }] }] }));
    const badCsv = join(dir, 'bad.csv');
    writeFileSync(badCsv, 'order_id,symbol,side,quantity,decision_price,arrival_price,fill_quantity,fill_price\na,X,buy,10,1,1,1,1\na,X,buy,10,1,1,2,x\n');
    const j = await ptexec(runDb, 'tca', '--input', bad);
    const c = await ptexec(runDb, 'tca', '--input', badCsv);
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/bad\.json \$\.orders\[0\]\.fills\[0\]\.price: /);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/bad\.csv:3 \(fill_price\): /);
  });

  it('tca RUN: per-leg TCA from child fills, with benchmarks from the market samples', async () => {
    const r = await ptexec(runDb, 'tca', 'run-a', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const [infy, tcs] = out.legs;
    expect(violations('tca.json', out)).toEqual([]);
    expect(infy).toMatchObject({ symbol: 'INFY', algo: 'twap', ordered_quantity: 300, filled_quantity: 300, average_price: '1500.75', arrival_price: '1500.00', decision_price: '1495.00' });
    // delay = 300·(150000 − 149500) = 150000 paise; trading = 300·(150075 − 150000) = 22500 paise
    expect(infy.shortfall.delay).toMatchObject({ amount: '1500.00', amount_minor: 150_000 });
    expect(infy.shortfall.trading).toMatchObject({ amount: '225.00', amount_minor: 22_500 });
    expect(infy.shortfall.charges.amount_minor).toBeGreaterThan(0);
    // Interval VWAP over 10:00–10:06: 6 increments of 1000 at lasts 1500.20 … 1500.70 → 1500.45
    expect(infy.benchmarks.vwap).toBe('1500.45');
    expect(infy.participation).toBeCloseTo(300 / 6000, 6);
    expect(infy.markout_bps['1m']).not.toBeNull();
    expect(tcs).toMatchObject({ symbol: 'TCS', side: 'sell', ordered_quantity: 50, filled_quantity: 40, fill_rate: 0.8 });
    const total = out.totals[0].shortfall;
    const sum = total.delay.amount_minor + total.trading.amount_minor + total.opportunity.amount_minor + total.charges.amount_minor;
    // Each term is rounded to the paisa on its own: the sum is within a paisa per term of the total.
    expect(Math.abs(sum - total.total.amount_minor)).toBeLessThanOrEqual(2);
    const text = await ptexec(runDb, 'tca', 'run-a');
    expect(text.stdout).toContain('Implementation shortfall');
    // Piped: every column in full, nothing cut, nothing said about hidden columns.
    expect(text.stdout).toMatch(/^leg +symbol +side +algo +filled +fill % +avg price +arrival +VWAP +vs arr\. +vs VWAP +vs TWAP +vs close +particip\. +dur\. +mk 1m +mk 5m$/m);
    expect(text.stdout).not.toContain('…');
    expect(text.stderr).not.toContain('hidden');
    expect(text.stdout).toMatch(/Fills vs market/);
    const csv = await ptexec(runDb, 'tca', 'run-a', '--csv');
    expect(csv.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('tca --group-by algo compares across runs', async () => {
    const r = await ptexec(runDb, 'tca', '--group-by', 'algo', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).groups.map((g: { key: string }) => g.key)).toEqual(['market', 'twap']);
    expect(violations('tca.json', JSON.parse(r.stdout))).toEqual([]);
  });

  it('settlement lists T+1 dates with cash due net of charges', async () => {
    const r = await ptexec(runDb, 'settlement', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(violations('settlement.json', out)).toEqual([]);
    expect(out.days).toHaveLength(1);
    expect(out.days[0]).toMatchObject({ settle_date: '2025-01-08', trades: 3, pending: 3 });
    const infyCash = out.trades.filter((t: { symbol: string }) => t.symbol === 'INFY').reduce((a: number, t: { cash_minor: number; charges_minor: number }) => a + t.cash_minor + t.charges_minor, 0);
    expect(infyCash).toBe(-(150 * 150_050 + 150 * 150_100));
    const days = await ptexec(runDb, 'settlement');
    expect(days.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^settles +trades +pending +settled +failed +cash due +bought +sold$/), expect.stringMatching(/^2025-01-08 +3 +3 +0 +0 +INR -\d+\.\d\d +300 +40$/)]);
    const trades = await ptexec(runDb, 'settlement', '--trades', '--wide');
    expect(trades.stdout.trim().split('\n').map((l) => l.split(/ +/).slice(0, 2).join(' '))).toEqual(['trade symbol', 'T1 INFY', 'T2 INFY', 'T3 TCS']);
    expect(trades.stdout).toMatch(/^trade +symbol +side +traded +settles +status +shares +cash +charges$/m);
    const none = await ptexec(runDb, 'settlement', '--status', 'failed', '--json');
    expect(JSON.parse(none.stdout).trades).toEqual([]);
  });

  it('pnl: realised on the partial sale (no lots: a short), unrealised on INFY, charges included', async () => {
    const r = await ptexec(runDb, 'pnl', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(violations('pnl.json', out)).toEqual([]);
    const infy = out.positions.find((p: { symbol: string }) => p.symbol === 'INFY');
    expect(infy.quantity).toBe(300);
    expect(infy.mark_source).toBe('market sample');
    // Cost = 45,022,500 paise + charges; marked at the last mid 1501.30.
    expect(infy.cost_minor).toBe(45_022_500 + infy.charges_minor);
    expect(infy.cost).toBe((infy.cost_minor / 100).toFixed(2));
    expect(infy.mark).toBe('1501.30');
    expect(infy.unrealised_minor).toBe(300 * 150_130 - (45_022_500 + infy.charges_minor));
  });

  it('reconcile: a paper account that matches exits 0; injected differences exit 4 with causes', async () => {
    const db = join(dir, 'paper.db');
    const store = openDatabase(db);
    const now = Date.now();
    resetPaperAccount(store.brokerTables('paper'), { cash: 1_000_000_00, holdings: [{ symbol: 'INFY', quantity: 100, averagePrice: 1_500_00 }], now });
    const clock = new VirtualClock(now);
    const broker = createPaperBroker({ tables: store.brokerTables('paper'), clock, isOpen: () => true });
    await clock.run(broker.connect());
    const state = { holdings: await clock.run(broker.holdings()), positions: await clock.run(broker.positions()), funds: await clock.run(broker.funds()) };
    store.append(accountSnapshotEvent({ broker: 'paper', account: broker.account, reason: 'run-start', ...state }));
    store.close();

    const same = await ptexec(db, 'reconcile', '--broker', 'paper', '--json');
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).matches).toBe(true);

    const s2 = openDatabase(db);
    connectionOf(s2).prepare("UPDATE paper_holdings SET quantity = quantity + 7 WHERE symbol = 'INFY'").run();
    s2.close();
    const differ = await ptexec(db, 'reconcile', '--broker', 'paper', '--json');
    expect(differ.code).toBe(4);
    const out = JSON.parse(differ.stdout);
    expect(out.differences).toEqual([expect.objectContaining({ kind: 'quantity', symbol: 'INFY', ours: 100, broker: 107, difference: 7, cause: 'outside_trades' })]);
    expect(violations('reconcile.json', out)).toEqual([]);
  });
});
