import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, collect } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

function query<T>(db: string, sql: string): T[] {
  if (!existsSync(db)) return [];
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all() as T[];
  } finally {
    d.close();
  }
}

function paperOrders(db: string): { symbol: string; status: string }[] {
  const exists = query<{ n: number }>(db, "SELECT count(*) n FROM sqlite_master WHERE name = 'paper_orders'")[0]?.n;
  return exists ? query(db, 'SELECT symbol, status FROM paper_orders ORDER BY rowid') : [];
}

function file(name: string, content: unknown): string {
  const path = join(box.dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('pre-trade risk in rebalance and check', () => {
  // An extra zero on TCS: 1,000 instead of 100, about 31% of the account, above the 25% weight limit.
  const typo = { positions: [{ symbol: 'TCS', quantity: 1000 }, { symbol: 'INFY', quantity: 50 }] };

  it('blocks the run with exit 3, sends nothing and records why', async () => {
    const r = await box.json<{ error: { message: string; exit_code: number } }>(['rebalance', file('typo.json', typo), '--speed', 'max', '--yes']);
    expect(r.code).toBe(3);
    expect(r.body.error.message).toMatch(/pre-trade checks blocked 1 leg; nothing was sent/);
    expect(r.stderr).toMatch(/--allow-partial/);
    expect(paperOrders(box.db)).toEqual([]);
    const checks = query<{ payload: string }>(box.db, "SELECT payload FROM events WHERE type = 'risk.checked'");
    expect(checks.some((c) => c.payload.includes('position_weight'))).toBe(true);
    expect(query<{ status: string }>(box.db, 'SELECT status FROM runs')).toEqual([{ status: 'blocked' }]);
  });

  it('with --allow-partial sends only the passing legs and exits 4', async () => {
    const r = await box.json<{ status: string; results: { symbol: string; status: string }[] }>(['rebalance', file('typo.json', typo), '--speed', 'max', '--yes', '--allow-partial']);
    expect(r.code).toBe(4);
    expect(r.body.status).toBe('partial');
    expect(r.body.results.map((x) => [x.symbol, x.status])).toEqual([
      ['INFY', 'complete'],
      ['TCS', 'blocked'],
    ]);
    expect(paperOrders(box.db).map((o) => o.symbol)).toEqual(['INFY']);
  });

  it('after a blocked attempt, the fixed file runs (the blocked run does not count as done)', async () => {
    const path = file('typo.json', typo);
    expect((await box.run(['rebalance', path, '--speed', 'max', '--yes'])).code).toBe(3);
    writeFileSync(path, JSON.stringify({ positions: [{ symbol: 'TCS', quantity: 60 }, { symbol: 'INFY', quantity: 50 }] }));
    expect((await box.run(['rebalance', path, '--speed', 'max', '--yes'])).code).toBe(0);
  });

  it('check prints verdicts and exits 0 or 3, never sending', async () => {
    const ok = await box.run(['check', file('ok.csv', 'symbol,target_quantity\nTCS,60\n')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/NSE:TCS .* pass/);
    const blocked = await box.json<{ status: string; risk: { verdict: string; legs: { symbol: string; verdict: string; reasons: { rule: string }[] }[] } }>(['check', file('typo.json', typo)]);
    expect(blocked.code).toBe(3);
    expect(blocked.body.status).toBe('blocked');
    expect(blocked.body.risk.legs.find((l) => l.symbol === 'TCS')).toMatchObject({ verdict: 'block', reasons: [{ rule: 'position_weight' }] });
    expect(paperOrders(box.db)).toEqual([]);
  });

  it('a restricted symbol from a --risk file is blocked; an invalid risk file is exit 2 naming the field', async () => {
    const risk = file('risk.json', { lists: { restricted: ['ITC'] } });
    const r = await box.run(['check', file('itc.csv', 'symbol,target_quantity\nITC,10\n'), '--risk', risk]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/restricted/);
    const bad = await box.run(['check', file('itc2.csv', 'symbol,target_quantity\nITC,10\n'), '--risk', file('bad.json', { price_band: { max_pct: 'five' } })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/price_band\.max_pct/);
  });
});

describe('duplicate orders', () => {
  const SYMBOLS = ['RELIANCE', 'TCS', 'HDFCBANK', 'INFY', 'ICICIBANK', 'ITC', 'SBIN', 'LT', 'BHARTIARTL', 'HINDUNILVR', 'KOTAKBANK', 'AXISBANK'];
  const target = (quantity: number) => `symbol,target_quantity\n${SYMBOLS.map((s) => `${s},${quantity}`).join('\n')}\n`;

  it('back-to-back targets with equal legs both run; the same target sent again is blocked with exact counts', async () => {
    type Run = { run_id: string; status: string };
    const quiet = (stderr: string) => expect(stderr).not.toMatch(/MaxListenersExceededWarning/);
    // Twelve legs of 10 each, then twelve more of 10 each: every leg repeats one of the first run.
    const first = await box.json<Run>(['rebalance', file('ten.csv', target(10)), '--speed', 'max', '--yes']);
    expect([first.code, first.body.status]).toEqual([0, 'completed']);
    quiet(first.stderr);
    const twenty = file('twenty.csv', target(20));
    const second = await box.json<Run>(['rebalance', twenty, '--speed', 'max', '--yes', '--algo', 'twap', '--slices', '2', '--duration', '2m', '--param', 'child_type=market']);
    expect([second.code, second.body.status]).toEqual([0, 'completed']);
    quiet(second.stderr);
    // Another target sells some TCS; the second file would buy it back.
    expect((await box.run(['rebalance', file('less-tcs.csv', 'symbol,target_quantity\nTCS,10\n'), '--speed', 'max', '--yes'])).code).toBe(0);
    const sent = paperOrders(box.db).length;
    const orders = query<{ n: number }>(box.db, `SELECT count(*) n FROM orders WHERE run_id = '${second.body.run_id}' AND parent_id IS NOT NULL`)[0]!.n;
    expect(orders).toBe(24);

    const again = await box.run(['rebalance', twenty, '--speed', 'max', '--yes', '--new-run']);
    expect(again.code).toBe(3);
    expect(again.stdout).toMatch(new RegExp(`run ${second.body.run_id} traded this same target less than a minute ago \\(completed; 12 legs, 24 orders filled or working\\)`));
    expect(again.stderr).toMatch(/pre-trade checks blocked the run \(duplicate\); nothing was sent/);
    expect(again.stderr).toMatch(/--allow-duplicate/);
    expect(paperOrders(box.db)).toHaveLength(sent);
  });
});

describe('kill switch', () => {
  it('halt from another process stops a running engine within a second and cancels its open orders', async () => {
    // A limit far below the market rests until cancelled.
    const target = file('resting.json', { positions: [{ symbol: 'ITC', quantity: 10, limit_price: 300 }] });
    const run = box.spawn(['rebalance', target, '--yes', '--duration', '30m']);
    const done = collect(run, undefined, 60_000);
    const deadline = Date.now() + 20_000;
    while (!paperOrders(box.db).some((o) => o.status === 'accepted' || o.status === 'open')) {
      if (Date.now() > deadline) throw new Error(`order never rested: ${JSON.stringify(paperOrders(box.db))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const halted = await box.run(['halt', '--reason', 'test halt', '--cancel-open']);
    expect(halted.code).toBe(0);
    const t0 = Date.now();
    const result = await done;
    expect(result.code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(result.stderr).toMatch(/kill switch/);
    expect(paperOrders(box.db).map((o) => o.status)).toEqual(['cancelled']);
    // What halt does to the next rebalance and resume: test/cli/run-lifecycle.test.ts.
  });
});
