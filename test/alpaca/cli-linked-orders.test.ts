import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AlpacaEmulator, startAlpacaEmulator } from '../emulators/alpaca/index.js';
import { CliSandbox } from '../cli/cli-harness.js';
import { violations } from '../schemas/contract.js';

type Result = {
  run_id: string;
  broker: string;
  status: string;
  results: { symbol: string; side: string; status: string; filled_quantity: number; client_order_ids: string[]; protective_orders: { client_order_id: string; role: string; status: string }[] }[];
};
type Orders = { orders: { client_order_id: string; side: string; type: string; quantity: number; limit_price: string | null; trigger_price: string | null; status: string }[] };

let emu: AlpacaEmulator;
let box: CliSandbox;
let risk: string;
beforeAll(async () => {
  emu = await startAlpacaEmulator({ cash: 10_000_000, partialFills: false });
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

const move = (symbol: string, last: number) => Object.assign(emu.exchange.instruments.find((i) => i.symbol === symbol)!, { bid: last - 1, ask: last + 1, last });
const placements = () => emu.server.calls.filter((c) => c.method === 'POST' && c.path === '/v2/orders' && c.status === 200).map((c) => JSON.parse(c.body) as Record<string, unknown>);

describe('ptexec rebalance with a bracket and a trailing stop on --broker alpaca (Alpaca emulator on 127.0.0.1)', () => {
  it('sends the bracket as Alpaca’s own, records its legs under <id>TP/<id>SL, sells on a trailing stop Alpaca moves with the market, and syncs the take-profit’s fill later', async () => {
    expect((await box.run(['brokers', 'login', 'alpaca'])).code).toBe(0);
    const target = join(box.dir, 'target.json');
    writeFileSync(target, JSON.stringify({ positions: [
      { symbol: 'MSFT', exchange: 'NASDAQ', quantity: 4, take_profit: 520, stop_loss: 480 },
      { symbol: 'AAPL', exchange: 'NASDAQ', quantity: 0, order_type: 'trailing_stop', trail_percent: 2 },
    ] }));
    const dry = await box.run(['rebalance', target, '--broker', 'alpaca', '--dry-run', '--risk', risk]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/NASDAQ:MSFT .* market\+bracket/);
    expect(dry.stdout).toMatch(/NASDAQ:AAPL .* trailing_stop/);
    const planned = await box.json<{ plan: { legs: Record<string, unknown>[] } }>(['rebalance', target, '--broker', 'alpaca', '--dry-run', '--risk', risk]);
    expect(violations('rebalance.json', planned.body)).toEqual([]);
    expect(planned.body.plan.legs.map((l) => [l.symbol, l.order_type, l.order_class, l.take_profit, l.stop_loss, l.trail_percent ?? null])).toEqual([
      ['AAPL', 'trailing_stop', null, null, null, 2],
      ['MSFT', 'market', 'bracket', '520.00', '480.00', null],
    ]);

    const run = box.json<Result>(['rebalance', target, '--broker', 'alpaca', '--yes', '--no-ui', '--risk', risk, '--duration', '10m'], { subprocess: true });
    // The trailing stop is working at Alpaca: the price rises 4 % (its stop follows), then falls through it.
    await vi.waitFor(() => expect(placements().some((p) => p.type === 'trailing_stop')).toBe(true), { timeout: 20_000 });
    move('AAPL', 28_100);
    await vi.waitFor(() => expect(emu.exchange.orders().find((o) => o.symbol === 'AAPL')!.trigger).toBe(27_538), { timeout: 5_000 });
    move('AAPL', 27_500);
    const r = await run;
    expect(r.stderr).not.toMatch(/this is a bug/);
    expect(r.code).toBe(0);
    expect(r.body).toMatchObject({ broker: 'alpaca', status: 'completed' });
    expect(placements().map((p) => [p.symbol, p.type, p.order_class ?? null, p.take_profit ?? null, p.stop_loss ?? null, p.trail_percent ?? null])).toEqual([
      ['AAPL', 'trailing_stop', null, null, null, '2'],
      ['MSFT', 'market', 'bracket', { limit_price: '520.00' }, { stop_price: '480.00' }, null],
    ]);
    const aapl = r.body.results.find((l) => l.symbol === 'AAPL')!;
    expect(aapl).toMatchObject({ side: 'sell', status: 'complete', filled_quantity: 15 });
    const msft = r.body.results.find((l) => l.symbol === 'MSFT')!;
    expect(msft).toMatchObject({ side: 'buy', status: 'complete', filled_quantity: 4 });
    const entry = msft.client_order_ids[0]!;
    expect(msft.protective_orders).toEqual([
      { client_order_id: `${entry}TP`, role: 'take_profit', status: 'accepted' },
      { client_order_id: `${entry}SL`, role: 'stop_loss', status: 'accepted' },
    ]);

    // After the run the price reaches the take-profit: Alpaca sells and cancels the stop-loss; `orders sync` records both, once.
    move('MSFT', 52_050);
    await vi.waitFor(() => expect(emu.exchange.orders().filter((o) => o.symbol === 'MSFT').map((o) => emu.statusOf(o))).toEqual(['filled', 'filled', 'canceled']), { timeout: 5_000 });
    expect((await box.json(['orders', 'sync', '--broker', 'alpaca'])).code).toBe(0);
    const orders = await box.json<Orders>(['orders', '--run', r.body.run_id, '--symbol', 'MSFT']);
    expect(orders.body.orders.map((o) => [o.client_order_id, o.side, o.type, o.quantity, o.limit_price, o.trigger_price, o.status])).toEqual([
      [entry, 'buy', 'market', 4, null, null, 'filled'],
      [`${entry}TP`, 'sell', 'limit', 4, '520.00', null, 'filled'],
      [`${entry}SL`, 'sell', 'stop', 4, null, '480.00', 'cancelled'],
    ]);
    const reconcile = await box.json<{ positions: { symbol: string; ours: number; broker: number }[] }>(['reconcile', '--broker', 'alpaca']);
    expect(reconcile.body.positions.filter((p) => p.ours !== 0 || p.broker !== 0)).toEqual([]);
  }, 60_000);

  it('resumes a run killed once its bracket entry’s fill was recorded: the legs are found in Alpaca’s book, nothing is sent twice, the fill counts once', async () => {
    const target = join(box.dir, 'jpm.json');
    writeFileSync(target, JSON.stringify({ positions: [{ symbol: 'JPM', exchange: 'NYSE', quantity: 3, take_profit: 320, stop_loss: 290 }] }));
    expect(await box.runKilledAt('fill-recorded:1', ['rebalance', target, '--broker', 'alpaca', '--yes', '--no-ui', '--risk', risk])).toBe('SIGKILL');
    const resumed = await box.json<Result>(['resume', '--yes']);
    expect(resumed.stderr).not.toMatch(/this is a bug/);
    expect(resumed.code).toBe(0);
    expect(resumed.body.status).toBe('completed');
    const jpm = resumed.body.results.find((l) => l.symbol === 'JPM')!;
    expect(jpm).toMatchObject({ side: 'buy', status: 'complete', filled_quantity: 3 });
    const entry = jpm.client_order_ids[0]!;
    expect(jpm.protective_orders.map((o) => [o.client_order_id, o.status])).toEqual([[`${entry}TP`, 'accepted'], [`${entry}SL`, 'accepted']]);
    expect(emu.exchange.orders().filter((o) => o.symbol === 'JPM').map((o) => [o.type, o.quantity, emu.statusOf(o)])).toEqual([['MARKET', 3, 'filled'], ['LIMIT', 3, 'new'], ['SL-M', 3, 'new']]);
    const reconcile = await box.json<{ positions: { symbol: string; ours: number; broker: number }[] }>(['reconcile', '--broker', 'alpaca']);
    expect(reconcile.body.positions.find((p) => p.symbol === 'JPM')).toMatchObject({ ours: 3, broker: 3 });
  }, 60_000);
});
