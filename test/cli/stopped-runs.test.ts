import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, collect, dbRow, waitUntil } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

const openAtPaper = () => dbRow<{ n: number }>(box.db, "SELECT count(*) n FROM paper_orders WHERE status IN ('accepted', 'open', 'partially_filled')")?.n ?? 0;
const sentToPaper = () => dbRow<{ n: number }>(box.db, 'SELECT count(*) n FROM paper_orders')?.n ?? 0;
const runStatus = (runId: string) => dbRow<{ status: string }>(box.db, 'SELECT status FROM runs WHERE run_id = ?', runId)?.status;

/** Starts a rebalance whose limits rest far from the market, and stops it with SIGTERM once they all rest at the broker. */
async function stoppedWithRestingOrders(name: string, positions: { symbol: string; quantity: number; limit_price: number }[]): Promise<string> {
  const file = join(box.dir, name);
  writeFileSync(file, JSON.stringify({ positions }));
  const openBefore = openAtPaper();
  const child = box.spawn(['rebalance', file, '--yes', '--no-ui', '--duration', '30m']);
  const done = collect(child, undefined, 60_000);
  await waitUntil('the limit orders to rest at the broker', () => openAtPaper() === openBefore + positions.length);
  child.kill('SIGTERM');
  const stopped = await done;
  expect(stopped.code).toBe(130);
  return dbRow<{ run_id: string }>(box.db, 'SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 1')!.run_id;
}

describe('open orders a stopped run left at the broker', () => {
  it('`ptexec cancel` cancels them and ends the run; `ptexec halt --cancel-open` cancels them with no engine running', async () => {
    const first = await stoppedWithRestingOrders('first.json', [
      { symbol: 'ITC', quantity: 10, limit_price: 300 },
      { symbol: 'TCS', quantity: 5, limit_price: 2500 },
    ]);
    expect(runStatus(first)).toBe('interrupted');
    const sent = sentToPaper();

    const unasked = await box.run(['cancel', first]);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(`no terminal to ask: not cancelling stopped run ${first}`);
    expect(unasked.stderr).toMatch('add --yes');
    expect(openAtPaper()).toBe(2);

    const cancelled = await box.json<{ status: string; stopped: boolean; orders: { status: string }[]; still_open: string[] }>(['cancel', first, '--yes']);
    expect(cancelled.stderr).not.toMatch(/this is a bug/);
    expect(cancelled.code).toBe(0);
    expect(cancelled.body).toMatchObject({ stopped: true, status: 'incomplete', still_open: [] });
    expect(cancelled.body.orders.map((o) => o.status)).toEqual(['cancelled', 'cancelled']);
    expect(openAtPaper()).toBe(0);
    expect(sentToPaper()).toBe(sent);
    expect(runStatus(first)).toBe('incomplete');
    expect(dbRow<{ n: number }>(box.db, 'SELECT count(*) n FROM locks')?.n).toBe(0);

    // Another run stopped with orders working; the kill switch, with no engine running, cancels them.
    const second = await stoppedWithRestingOrders('second.json', [{ symbol: 'INFY', quantity: 5, limit_price: 1000 }]);
    const halted = await box.json<{ halted: boolean; stopped_runs: { run_id: string; result: string }[] }>(['halt', '--reason', 'outage', '--cancel-open']);
    expect(halted.stderr).not.toMatch(/this is a bug/);
    expect(halted.code).toBe(0);
    expect(halted.body).toMatchObject({ halted: true, stopped_runs: [{ run_id: second, result: 'cancelled' }] });
    expect(openAtPaper()).toBe(0);
    expect(sentToPaper()).toBe(sent + 1);
    // As a halted engine leaves its run: interrupted, its leg open, resumable after unhalt.
    expect(runStatus(second)).toBe('interrupted');
    expect((await box.run(['unhalt'])).code).toBe(0);
  });
});
