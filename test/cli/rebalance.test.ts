import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, paperOrderCount, ROOT } from './cli-harness.js';

type Result = { run_id: string; status: string; dry_run: boolean; results: { symbol: string; quantity: number; side: string; status: string; reason: string | null; filled_quantity: number; client_order_ids: string[] }[] };

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

const example = (name: string) => join(ROOT, 'examples', name);


describe('ptexec rebalance on the paper broker', () => {
  it('executes the request shape of the original service and returns its results shape', async () => {
    const { code, body } = await box.json<Result>(['rebalance', example('portfolio.json'), '--speed', 'max']);
    expect(code).toBe(0);
    expect(body.status).toBe('completed');
    expect(body.results).toHaveLength(10);
    for (const r of body.results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['symbol', 'quantity', 'side', 'status', 'reason']));
      expect(r).toMatchObject({ side: 'buy', status: 'complete', reason: null });
      expect(r.filled_quantity).toBe(r.quantity);
    }
    const positions = await box.json<{ positions: { symbol: string; owned_quantity: number }[] }>(['positions']);
    expect(positions.body.positions.find((p) => p.symbol === 'RELIANCE')?.owned_quantity).toBe(200);
  });

  it('executes a weights CSV, and a positions JSON from standard input', async () => {
    const csv = await box.json<Result>(['rebalance', example('weights.csv'), '--speed', 'max']);
    expect(csv.code).toBe(0);
    expect(csv.body.results.map((r) => r.symbol)).toContain('MARUTI');
    const stdin = await box.json<Result>(['rebalance', '-', '--speed', 'max'], { input: '{"positions":[{"symbol":"WIPRO","quantity":7},{"symbol":"RELIANCE","quantity":0}]}' });
    expect(stdin.code).toBe(0);
    // RELIANCE was bought by the CSV run; a target of 0 sells all of it.
    expect(stdin.body.results.map((r) => [r.symbol, r.side])).toEqual([
      ['RELIANCE', 'sell'],
      ['WIPRO', 'buy'],
    ]);
  });

  it('prints the plan on a dry run and sends nothing', async () => {
    const r = await box.run(['rebalance', example('portfolio.json'), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dry run for paper account PAPER/);
    expect(r.stdout).toMatch(/NSE:RELIANCE\s+0\s+200\s+\+200\s+BUY/);
    expect(paperOrderCount(box.db)).toBe(0);
    const runs = await box.json<{ runs: unknown[] }>(['runs']);
    expect(runs.body.runs).toEqual([]);
  });

  it('reports the existing run instead of trading the same target twice on one day', async () => {
    const first = await box.json<Result>(['rebalance', example('quantities.csv'), '--speed', 'max']);
    expect(first.code).toBe(0);
    const orders = paperOrderCount(box.db);
    const again = await box.json<{ error: { message: string; exit_code: number } }>(['rebalance', example('quantities.csv'), '--speed', 'max']);
    expect(again.code).toBe(6);
    expect(again.body.error.message).toContain(`run ${first.body.run_id} already ran this target`);
    expect(paperOrderCount(box.db)).toBe(orders);
    const forced = await box.json<Result>(['rebalance', example('quantities.csv'), '--speed', 'max', '--new-run']);
    expect(forced.code).toBe(0);
    expect(forced.body.run_id).not.toBe(first.body.run_id);
    // The account already matches the target, so the new run has nothing to do.
    expect(forced.body.results).toEqual([]);
  });

  it('refuses a second concurrent run on the same account with exit 6', async () => {
    // A large limit order far below the market keeps the first run working until cancelled.
    const target = join(box.dir, 'resting.json');
    writeFileSync(target, JSON.stringify({ positions: [{ symbol: 'ITC', quantity: 10, limit_price: 300 }] }));
    const first = box.spawn(['rebalance', target, '--yes', '--duration', '10m']);
    let stderr = '';
    first.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(() => runStatus(box.db) === 'running', 20_000);
    const runId = lastRunId(box.db);
    const live = `pid ${first.pid} on \\S+; running: 0 of 1 leg done, 1 left \\(NSE:ITC\\)`;
    const second = await box.json<{ error: { message: string; hint: string } }>(['rebalance', example('quantities.csv'), '--speed', 'max']);
    expect(second.code).toBe(6);
    expect(second.body.error.message).toMatch(new RegExp(`account paper:PAPER is locked by run ${runId} \\(${live}\\); nothing was sent`));
    expect(second.body.error.hint).toContain(`\`ptexec watch ${runId}\``);
    // The same target: its run is live in the first process, so it is not "resumed" here.
    const same = await box.run(['rebalance', target, '--speed', 'max']);
    expect(same.code).toBe(6);
    expect(same.stderr).toMatch(new RegExp(`run ${runId} for this target is being executed by another process \\(${live}\\); nothing was sent\n\\s+watch it with \`ptexec watch ${runId}\``));
    expect(same.stderr).not.toMatch(/resuming/);
    first.kill('SIGKILL');
    await new Promise((r) => first.on('close', r));
    expect(stderr).not.toMatch(/bug/);

    // Nobody executes it now: the same target resumes it, and it ends incomplete (the limit never fills).
    const resumed = await box.run(['rebalance', target, '--speed', 'max', '--no-ui']);
    expect([resumed.code, resumed.stderr]).toEqual([4, expect.stringContaining(`run ${runId} for this target is unfinished (running: 0 of 1 leg done, 1 left (NSE:ITC)); resuming it`)]);
    // Finished short of its target: the message says what is left and what trades it.
    const next = `trade what is left with \`ptexec rebalance ${target} --new-run\` (a new plan from the current holdings); \`ptexec runs show ${runId}\` shows this one`;
    const again = await box.json<{ error: { message: string; hint: string } }>(['rebalance', target, '--speed', 'max']);
    expect(again.code).toBe(6);
    expect(again.body.error).toMatchObject({ message: `run ${runId} already ran this target on paper today and finished incomplete: 0 of 1 leg done, 1 left (NSE:ITC); nothing was sent`, hint: next });
    const resume = await box.run(['resume', runId]);
    expect([resume.code, resume.stderr]).toEqual([2, `error: run ${runId} finished incomplete: 0 of 1 leg done, 1 left (NSE:ITC); only an unfinished run can be resumed\n  ${next}\n`]);
    const latest = await box.run(['resume']);
    expect([latest.code, latest.stderr]).toEqual([2, `error: no unfinished run: the latest, ${runId}, finished incomplete: 0 of 1 leg done, 1 left (NSE:ITC)\n  ${next}\n`]);
  });
});

describe('bad input: exit 2, a message naming the place, nothing sent', () => {
  const cases: [string, string, RegExp][] = [
    ['malformed.json', '{"positions": [ {"symbol": "TCS", "quantity": 1 ', /not valid JSON/],
    ['unknown.csv', 'symbol,target_quantity\nTCS,1\nNOTASYMBOL,3\n', /unknown symbol at paper: NOTASYMBOL \(.*unknown\.csv:3\)/],
    ['negative.json', '{"target_portfolio":[{"symbol":"TCS","target_quantity":-10}]}', /\$\.target_portfolio\[0\]\.target_quantity: target_quantity must not be negative/],
    ['weights.csv', 'symbol,weight\nTCS,0.7\nINFY,0.6\n', /weights sum to 1\.3000, above 1/],
    ['empty.csv', '', /the file is empty/],
    ['nan.csv', 'symbol,target_quantity\nTCS,NaN\n', /nan\.csv:2 \(target_quantity\): target_quantity "NaN" is not a number/],
    ['dupe.csv', 'symbol,target_quantity\nTCS,1\nTCS,2\n', /duplicate symbol TCS/],
    ['secret.json', '{"broker":"paper","credentials":{"api_key":"abc","access_token":"sekret"},"target_portfolio":[{"symbol":"TCS","target_quantity":1}]}', /secrets do not belong in portfolio files/],
    ['types.json', '{"positions":[{"symbol":"TCS","quantity":"ten"}]}', /\$\.positions\[0\]\.quantity: quantity must be a number/],
    ['absurd.json', '{"positions":[{"symbol":"TCS","quantity":500000000}]}', /absurdly large/],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      const file = join(box.dir, name);
      writeFileSync(file, content);
      const r = await box.run(['rebalance', file, '--speed', 'max', '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/sekret/);
      expect(r.stdout).toBe('');
      expect(paperOrderCount(box.db)).toBe(0);
    });
  }

  it('a missing file, an unknown algorithm and an unknown broker', async () => {
    expect((await box.run(['rebalance', join(box.dir, 'nope.json')])).stderr).toMatch(/nope\.json: no such file/);
    const algo = await box.run(['rebalance', example('quantities.csv'), '--algo', 'magic']);
    expect([algo.code, algo.stderr]).toEqual([2, expect.stringMatching(/--algo magic is not one of market, limit, twap/)]);
    const broker = await box.run(['rebalance', example('quantities.csv'), '--broker', 'nobroker']);
    expect([broker.code, broker.stderr]).toEqual([2, expect.stringMatching(/unknown broker "nobroker"/)]);
  });
});

function lastRunId(db: string): string {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 1').pluck().get() as string;
  } finally {
    d.close();
  }
}

function runStatus(db: string): string | undefined {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return d.prepare('SELECT status FROM runs ORDER BY created_at DESC LIMIT 1').pluck().get() as string | undefined;
    } finally {
      d.close();
    }
  } catch {
    return undefined;
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
