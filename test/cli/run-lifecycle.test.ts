import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, paperOrderCount } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

function file(name: string, content: unknown): string {
  const path = join(box.dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** What a command may have written: events, runs, locks and orders at the paper broker. */
function written(): { events: number; runs: string[]; locks: number; paperOrders: number } {
  const db = new Database(box.db, { readonly: true });
  try {
    return {
      events: db.prepare('SELECT count(*) FROM events').pluck().get() as number,
      runs: db.prepare("SELECT run_id || ':' || status FROM runs ORDER BY run_id").pluck().all() as string[],
      locks: db.prepare('SELECT count(*) FROM locks').pluck().get() as number,
      paperOrders: paperOrderCount(box.db),
    };
  } finally {
    db.close();
  }
}

type Result = { run_id: string; status: string; reason: string | null; results: { symbol: string; status: string; reason: string | null; quantity: number }[]; skipped: { symbol: string; reason: string }[] };

describe('the kill switch stops rebalance and resume before they touch anything', () => {
  it('refuses with exit 3 and writes nothing; after unhalt the run resumes and its summary counts the whole run', async () => {
    const target = file('target.csv', 'symbol,target_quantity\nRELIANCE,100\nTCS,50\n');
    // A run that died once its legs were recorded: unfinished, resumable.
    box.extraEnv = { PTEXEC_FAILPOINT: 'parents-started:1' };
    await box.run(['rebalance', target, '--speed', 'max', '--yes', '--json']);
    box.extraEnv = {};
    const [runId] = written().runs.map((r) => r.split(':')[0]!);

    expect((await box.run(['halt', '--reason', 'wrong file'])).code).toBe(0);
    const before = written();
    const resume = await box.run(['resume', '--speed', 'max']);
    expect(resume.code).toBe(3);
    expect(resume.stderr).toMatch(new RegExp(`trading is halted since \\d{4}-\\d\\d-\\d\\dT\\S+Z \\(wrong file\\); run ${runId} was not resumed and is unchanged`));
    expect(resume.stderr).toContain(`\`ptexec unhalt\` lifts it; then \`ptexec resume ${runId}\``);
    const again = await box.run(['rebalance', target, '--speed', 'max', '--yes']);
    expect([again.code, again.stderr]).toEqual([3, expect.stringMatching(/trading is halted since .* \(wrong file\); nothing was sent/)]);
    expect(again.stderr).not.toMatch(/resuming/);
    const other = await box.run(['rebalance', file('other.csv', 'symbol,target_quantity\nINFY,5\n'), '--speed', 'max', '--yes']);
    expect([other.code, other.stderr]).toEqual([3, expect.stringMatching(/nothing was sent\n\s+`ptexec unhalt` lifts it/)]);
    // A dry run still plans (it sends nothing), and says the plan cannot be sent now.
    const dry = await box.run(['rebalance', target, '--dry-run']);
    expect([dry.code, dry.stderr]).toEqual([0, expect.stringContaining('trading is halted: this plan cannot be sent until `ptexec unhalt`')]);
    expect(dry.stdout).toMatch(/Dry run for paper account PAPER/);
    expect(written()).toEqual(before);

    expect((await box.run(['unhalt'])).code).toBe(0);
    const resumed = await box.run(['resume', '--speed', 'max', '--no-ui']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Run ${runId}: completed; 2/2 legs complete.`);
    expect(resumed.stderr).toMatch(/run completed: filled 150\/150 \(100%\), traded ₹[1-9]/);
  });
});

describe('--allow-partial and buys that do not fit the cash', () => {
  // ₹1,00,000 and a 40% position limit: the buys are scaled to the cash, TCS is then still above
  // the limit (blocked), and the one MARUTI share (₹15,900) no longer fits (dropped).
  const target = { positions: [{ symbol: 'TCS', quantity: 20 }, { symbol: 'ITC', quantity: 80 }, { symbol: 'INFY', quantity: 10 }, { symbol: 'MARUTI', quantity: 1 }] };

  it('list blocked legs as blocked with their reasons and dropped ones as skipped; the run is partial (exit 4), never completed', async () => {
    const risk = file('risk.json', { concentration: { max_position_pct: 40 }, duplicates: { window_seconds: 0 } });
    const path = file('target.json', target);
    expect((await box.run(['paper', 'reset', '--cash', '100000'])).code).toBe(0);
    const json = await box.json<Result>(['rebalance', path, '--speed', 'max', '--yes', '--allow-partial', '--risk', risk]);
    expect(json.code).toBe(4);
    expect(json.body.status).toBe('partial');
    expect(json.body.reason).toBe('1 leg blocked by the pre-trade checks (TCS), 1 leg dropped for lack of cash (MARUTI)');
    expect(json.body.results.map((r) => [r.symbol, r.status])).toEqual([
      ['INFY', 'complete'],
      ['ITC', 'complete'],
      ['TCS', 'blocked'],
    ]);
    expect(json.body.results[2]!.reason).toMatch(/^blocked by the pre-trade checks: post-trade weight of NSE:TCS would be .*\[position_weight\]$/);
    expect(json.body.skipped).toEqual([{ symbol: 'MARUTI', exchange: 'NSE', reason: 'dropped: not enough cash after scaling' }]);
    expect(json.stderr).not.toMatch(/no reason given/);
    const runs = await box.run(['runs']);
    expect(runs.stdout).toMatch(new RegExp(`${json.body.run_id} .* partial +3 `));

    // The same in text, on a fresh account.
    expect((await box.run(['paper', 'reset', '--cash', '100000'])).code).toBe(0);
    const text = await box.run(['rebalance', path, '--speed', 'max', '--yes', '--allow-partial', '--risk', risk, '--new-run', '--no-ui']);
    expect(text.code).toBe(4);
    const result = text.stdout.slice(text.stdout.lastIndexOf('symbol '));
    expect(result).toMatch(/NSE:TCS +buy +\d+ +0 +- +blocked +blocked by the pre-trade checks: post-trade weight/);
    expect(result).toMatch(/skipped NSE:MARUTI: dropped: not enough cash after scaling/);
    expect(result).toMatch(/Run \w+: partial \(1 leg blocked by the pre-trade checks \(TCS\), 1 leg dropped for lack of cash \(MARUTI\)\); 2\/3 legs complete\./);
    expect(text.stderr).toMatch(/run partial \(.*\): filled \d+\/\d+ \(100%\)/);
  });
});
