import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { unhaltTrading } from '../../src/app/halt-service.js';
import { pauseRun } from '../../src/app/pause-service.js';
import { recordedFills, recordedOrder, recordedOrders, recordedRun, recordedRuns } from '../../src/app/record-service.js';
import { renderRun } from '../../src/app/render/record-view.js';
import { orderDetailJson, renderOrder } from '../../src/app/render/order-view.js';
import { newEvent } from '../../src/domain/events/index.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { partialRun } from '../ui/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ptexec-record-service-'));
const db = join(dir, 'ptexec.db');
const events = partialRun().events.filter((e) => e.type !== 'unknown');
const runId = events[0]!.runId!;
const seed = openDatabase(db);
for (const e of events) seed.append(newEvent(e.runId, e.type, e.payload, e.ts));
seed.close();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const terminal = () => fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config') } });

describe('what the database recorded', () => {
  it('lists runs, shows the latest run’s legs, orders, one order’s history and the fills', () => {
    const { io, stdout } = terminal();
    const f = new Factory(io, { db });
    expect(recordedRuns(f, {}).rows.map((r) => r.run_id)).toEqual([runId]);
    const run = recordedRun(f);
    expect(run.legs.map((l) => l.order.symbol)).toEqual(['RELIANCE', 'INFY']);
    renderRun(io, run);
    expect(stdout.text()).toMatch(new RegExp(`^Run ${runId}`));
    const parents = recordedOrders(f, { run: runId, parents: true }).rows;
    expect(parents.map((o) => o.parent_id)).toEqual([null, null]);
    const children = recordedOrders(f, { parents: false }).rows;
    expect(children.map((o) => o.symbol).sort()).toEqual(['INFY', 'RELIANCE', 'RELIANCE', 'RELIANCE']);
    const order = recordedOrder(f, children.find((o) => o.filled_quantity === 60)!.client_order_id);
    expect(orderDetailJson(order).fills).toHaveLength(2);
    renderOrder(io, order);
    expect(stdout.text()).toMatch(/fill 20 @ 2501\.00 \(trade t1\)/);
    expect(recordedFills(f, { run: runId }).rows.map((x) => x.trade_id).sort()).toEqual(['t1', 't2', 't3']);
    expect(recordedFills(f, { symbol: 'INFY' }).rows).toHaveLength(1);
    // A list cut short by its limit says so, exactly when it was.
    expect(recordedOrders(f, { parents: false, limit: 4 })).toMatchObject({ more: false });
    expect(recordedOrders(f, { parents: false, limit: 3 })).toMatchObject({ more: true, rows: children.slice(0, 3) });
    expect(recordedFills(f, { run: runId, limit: 2 }).more).toBe(true);
    expect(recordedRuns(f, { limit: 1 }).more).toBe(false);
    expect(() => recordedRun(f, 'no-such-run')).toThrow(/no-such-run/);
  });

  it('runs show lists every leg of a run of more than a thousand legs (it once stopped at the first 1,000)', async () => {
    const big = join(dir, 'big.db');
    const store = openDatabase(big);
    store.append(newEvent('big-run', 'run.created', { runId: 'big-run', broker: 'paper', account: 'PAPER1', tradingDate: '2026-12-04', targetHash: 'h', source: 't', dryRun: false, options: {} }));
    store.append(Array.from({ length: 1_200 }, (_, leg) => newEvent('big-run', 'order.created', { clientOrderId: `big-runL${leg}`, leg, broker: 'paper', account: 'PAPER1', symbol: `S${leg}`, exchange: 'NSE', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day', product: 'delivery' })));
    store.close();
    const f = new Factory(terminal().io, { db: big });
    const { legs } = recordedRun(f, 'big-run');
    expect(legs).toHaveLength(1_200);
    expect(legs.at(-1)!.order.leg).toBe(1_199);
    await f.close();
  });

  it('pause asks the running run to pause; unhalt says when there is nothing to lift', async () => {
    const { io, stderr } = terminal();
    const f = new Factory(io, { db });
    expect(pauseRun(f, { leg: 1 })).toEqual({ exitCode: 0, json: { run_id: runId, action: 'pause', leg: 1 } });
    expect(stderr.text()).toMatch(new RegExp(`asked run ${runId} to pause leg 1; \`ptexec resume ${runId} --leg 1\``));
    expect((await unhaltTrading(f)).json).toEqual({ halted: false, changed: false });
    f.killSwitch().halt('test', false);
    expect((await unhaltTrading(f)).json).toEqual({ halted: false, changed: true, was_reason: 'test' });
    await f.close();
  });
});
