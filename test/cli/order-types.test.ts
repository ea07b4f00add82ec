import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAPER_UNIVERSE } from '../../src/brokers/paper/universe.js';
import { startKiteEmulator } from '../emulators/kite/index.js';
import { CliSandbox, paperOrderCount } from './cli-harness.js';

type Result = {
  run_id: string;
  status: string;
  results: { symbol: string; side: string; status: string; filled_quantity: number; client_order_ids: string[]; protective_orders: { client_order_id: string; role: string; status: string }[] }[];
};

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());


function target(name: string, positions: unknown[]): string {
  const file = join(box.dir, name);
  writeFileSync(file, JSON.stringify({ positions }));
  return file;
}

// RELIANCE starts near 1,510 on a fresh paper market: exits at 2,000 and 1,000 straddle it whatever the walk does in a run.
const BRACKET = { symbol: 'RELIANCE', quantity: 20, take_profit: 2000, stop_loss: 1000 };

describe('ptexec rebalance with legs that name their order (paper)', () => {
  it('buys a bracket leg, leaves its exits working and lists them with their status', async () => {
    // The exits are DAY orders: a run whose simulated minutes cross midnight in India sees them expire, so the TWAP is as short as slices allow.
    const r = await box.json<Result>(['rebalance', target('b.json', [BRACKET, { symbol: 'TCS', quantity: 3 }]), '--speed', 'max', '--algo', 'twap', '--duration', '2s', '--slices', '2']);
    expect(r.code).toBe(0);
    expect(r.body.status).toBe('completed');
    const reliance = r.body.results.find((l) => l.symbol === 'RELIANCE')!;
    expect(reliance).toMatchObject({ side: 'buy', status: 'complete', filled_quantity: 20 });
    const entry = reliance.client_order_ids[0]!;
    expect(reliance.protective_orders).toEqual([
      { client_order_id: `${entry}TP`, role: 'take_profit', status: 'accepted' },
      { client_order_id: `${entry}SL`, role: 'stop_loss', status: 'accepted' },
    ]);
    // The run algorithm still slices the other leg.
    expect(r.body.results.find((l) => l.symbol === 'TCS')!.client_order_ids.length).toBeGreaterThanOrEqual(2);

    const orders = await box.json<{ orders: { client_order_id: string; side: string; type: string; quantity: number; limit_price: string | null; trigger_price: string | null; status: string; link_group: string | null }[] }>(['orders', '--run', r.body.run_id, '--symbol', 'RELIANCE']);
    expect(orders.body.orders.map((o) => [o.client_order_id, o.side, o.type, o.quantity, o.limit_price, o.trigger_price, o.status, o.link_group])).toEqual([
      [entry, 'buy', 'market', 20, null, null, 'filled', entry],
      [`${entry}TP`, 'sell', 'limit', 20, '2000.00', null, 'accepted', entry],
      [`${entry}SL`, 'sell', 'stop', 20, null, '1000.00', 'accepted', entry],
    ]);
    // A list cut short by --limit says so, and how to see the rest.
    const firstTwo = await box.run(['orders', '--run', r.body.run_id, '--symbol', 'RELIANCE', '--limit', '2']);
    expect(firstTwo.stdout).toContain(`${entry}TP`);
    expect(firstTwo.stdout).not.toContain(`${entry}SL`);
    expect(firstTwo.stderr).toContain('showing the first 2 orders; more match: raise --limit, or narrow with --run, --status or --symbol');
    const sync = await box.json<{ runs: string[]; orders: { client_order_id: string; status: string }[] }>(['orders', 'sync']);
    expect(sync.code).toBe(0);
    expect(sync.body.runs).toEqual([r.body.run_id]);
    expect(sync.body.orders.filter((o) => o.status === 'accepted').map((o) => o.client_order_id)).toEqual([`${entry}TP`, `${entry}SL`]);
    const positions = await box.json<{ positions: { symbol: string; owned_quantity: number }[] }>(['positions']);
    expect(positions.body.positions.find((p) => p.symbol === 'RELIANCE')?.owned_quantity).toBe(20);
  });

  it('shows the order of each leg in the plan', async () => {
    const r = await box.run(['rebalance', target('p.json', [BRACKET, { symbol: 'INFY', quantity: 5, order_type: 'stop', stop_price: 1550 }, { symbol: 'TCS', quantity: 3, order_type: 'trailing_stop', trail_percent: 1.5 }]), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NSE:TCS .* trailing_stop/);
    expect(r.stdout).toMatch(/NSE:RELIANCE .* market\+bracket/);
    expect(r.stdout).toMatch(/NSE:INFY .* stop/);
  });

  it('refuses a stop on the wrong side of the market and an inconsistent line: exit 2, the place and the fix, nothing sent', async () => {
    const wrongSide = await box.run(['rebalance', target('w.json', [{ symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1000 }]), '--speed', 'max']);
    expect(wrongSide.code).toBe(2);
    expect(wrongSide.stderr).toMatch(/invalid target portfolio, nothing was sent/);
    expect(wrongSide.stderr).toMatch(/w\.json \$\.positions\[0\]\.stop_price: the leg buys 10 \(holding 0, target 10\): a buy stop triggers when the price rises to stop_price, so 1000\.00 must be above the last price/);
    const csv = join(box.dir, 'bad.csv');
    writeFileSync(csv, 'symbol,quantity,take_profit,stop_loss,algo\nRELIANCE,10,2000,,\nTCS,1,4000,3000,twap\n');
    const bad = await box.run(['rebalance', csv, '--speed', 'max']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.csv:2 \(stop_loss\): a bracket \(an entry with protective exits\) needs stop_loss/);
    expect(bad.stderr).toMatch(/bad\.csv:3 \(algo\): a bracket leg .* cannot be sliced by "twap"/);
    expect(paperOrderCount(box.db)).toBe(0);
  });
});

describe('ptexec rebalance --broker zerodha with linked orders (Kite emulator on 127.0.0.1)', () => {
  it('refuses bracket and OCO legs before anything is sent (exit 2)', async () => {
    const p = PAPER_UNIVERSE.find((x) => x.symbol === 'RELIANCE' && x.exchange === 'NSE')!;
    const emu = await startKiteEmulator({
      instruments: [{ token: 100_001, symbol: 'RELIANCE', exchange: 'NSE', name: 'RELIANCE', tick: p.tickSize, lot: 1, bid: 150_990, ask: 151_010, last: 151_000, close: 151_000, volume: 5_000_000 }],
      cash: 1_000_000_000,
      holdings: [{ symbol: 'RELIANCE', exchange: 'NSE', quantity: 50, t1Quantity: 0, averagePrice: 140_000 }],
    });
    try {
      const risk = join(box.dir, 'risk.json');
      writeFileSync(risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
      box.extraEnv = { PTEXEC_ZERODHA_URL: emu.url, PTEXEC_ZERODHA_WS_URL: emu.wsUrl, PTEXEC_ZERODHA_API_KEY: emu.apiKey, PTEXEC_ZERODHA_ACCESS_TOKEN: 'emuaccesstoken0001' };
      const r = await box.run(['rebalance', target('z.json', [{ symbol: 'RELIANCE', quantity: 0, order_type: 'oco', take_profit: 1600, stop_loss: 1400 }]), '--broker', 'zerodha', '--yes', '--risk', risk]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/zerodha cannot take the orders some lines name; nothing was sent/);
      expect(r.stderr).toMatch(/leg 0 \(NSE:RELIANCE\): zerodha does not run OCO orders \(order_type oco\)/);
      expect(emu.state.requests.filter((q) => q.method === 'POST' && q.path.startsWith('/orders/'))).toEqual([]);
      // A trailing stop is refused the same way: Zerodha's capabilities do not list it.
      const trailing = await box.run(['rebalance', target('t.json', [{ symbol: 'RELIANCE', quantity: 0, order_type: 'trailing_stop', trail_percent: 2 }]), '--broker', 'zerodha', '--yes', '--risk', risk]);
      expect(trailing.code).toBe(2);
      expect(trailing.stderr).toMatch(/leg 0 \(NSE:RELIANCE\): zerodha does not take trailing-stop orders; use one of market, limit, stop, stop_limit/);
      expect(emu.state.requests.filter((q) => q.method === 'POST' && q.path.startsWith('/orders/'))).toEqual([]);
    } finally {
      await emu.close();
    }
  });
});
