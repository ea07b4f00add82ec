import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from '../schemas/contract.js';
import { CliSandbox, type CliResult } from './cli-harness.js';

/**
 * The JSON contract (README "Output contract", schemas/) as scripts meet it: one sandbox, a small
 * TWAP run at --speed max, a run the pre-trade checks block and a dry run, then every command
 * that prints JSON once, each output validated against its published schema.
 */
let box: CliSandbox;
const out: Record<string, CliResult> = {};
let runId = '';

function file(name: string, content: unknown): string {
  const path = join(box.dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function parse(r: CliResult): unknown {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not one JSON object (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
}

/** Every key of the value, at any depth. */
function keys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keys);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)]);
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

beforeAll(async () => {
  box = new CliSandbox();
  const twap = file('twap.csv', 'symbol,target_quantity\nRELIANCE,40\nINFY,30\n');
  // An extra zero on TCS: about 31% of the account, above the 25% weight limit.
  const typo = file('typo.json', { positions: [{ symbol: 'TCS', quantity: 1000 }, { symbol: 'INFY', quantity: 50 }] });
  const small = file('small.json', { positions: [{ symbol: 'ITC', quantity: 30 }, { symbol: 'SBIN', quantity: 20 }] });
  out.reset = await box.run(['paper', 'reset', '--json']);
  out.rebalance = await box.run(['rebalance', twap, '--algo', 'twap', '--duration', '10m', '--slices', '2', '--speed', 'max', '--json']);
  runId = (parse(out.rebalance) as { run_id: string }).run_id;
  [out.blocked, out.dryRun, out.check] = await Promise.all([
    box.run(['rebalance', typo, '--yes', '--json']),
    box.run(['rebalance', small, '--dry-run', '--json']),
    box.run(['check', typo, '--json']),
  ]);
  const child = `${runId}L0C1`;
  const commands: Record<string, string[]> = {
    runs: ['runs'],
    runsShow: ['runs', 'show', runId],
    orders: ['orders'],
    parents: ['orders', '--parents'],
    orderShow: ['orders', 'show', child],
    fills: ['fills'],
    fillsCut: ['fills', '--limit', '1'],
    ordersCut: ['orders', '--limit', '1'],
    positions: ['positions'],
    tca: ['tca', runId],
    tcaGroups: ['tca', '--group-by', 'algo'],
    settlement: ['settlement'],
    pnl: ['pnl'],
    charges: ['charges', '--side', 'buy', '--qty', '100', '--price', '2500.50'],
    reconcile: ['reconcile'],
    paper: ['paper', 'show'],
    watch: ['watch', runId],
    calibrate: ['tca', 'calibrate', '--dry-run'],
    simulate: ['simulate', twap, '--algo', 'twap,auto', '--paths', '1', '--workers', '1', '--duration', '5m'],
  };
  const results = await Promise.all(Object.values(commands).map((args) => box.run([...args, '--json'])));
  Object.keys(commands).forEach((name, i) => (out[name] = results[i]!));
}, 120_000);
afterAll(() => box?.cleanup());

describe('a list cut short by --limit says so in its JSON', () => {
  it('fills and orders carry more: true when --limit left rows out, and false when it did not', () => {
    const cut = parse(out.fillsCut!) as { fills: unknown[]; more: boolean };
    expect(cut.fills).toHaveLength(1);
    expect(cut.more).toBe(true);
    expect((parse(out.ordersCut!) as { orders: unknown[]; more: boolean }).more).toBe(true);
    expect((parse(out.fills!) as { more: boolean }).more).toBe(false);
    expect((parse(out.runs!) as { more: boolean }).more).toBe(false);
  });
});

describe('every --json output follows its published schema', () => {
  const cases: [string, string][] = [
    ['reset', 'paper.json'],
    ['rebalance', 'rebalance.json'],
    ['blocked', 'rebalance.json'],
    ['blocked', 'check.json'],
    ['dryRun', 'check.json'],
    ['check', 'check.json'],
    ['runs', 'runs.json'],
    ['runsShow', 'runs-show.json'],
    ['orders', 'orders.json'],
    ['parents', 'orders.json'],
    ['orderShow', 'orders-show.json'],
    ['fills', 'fills.json'],
    ['fillsCut', 'fills.json'],
    ['ordersCut', 'orders.json'],
    ['positions', 'positions.json'],
    ['tca', 'tca.json'],
    ['tcaGroups', 'tca.json'],
    ['settlement', 'settlement.json'],
    ['pnl', 'pnl.json'],
    ['charges', 'charges.json'],
    ['reconcile', 'reconcile.json'],
    ['paper', 'paper.json'],
    ['calibrate', 'tca-calibrate.json'],
    ['simulate', 'simulate.json'],
  ];
  for (const [name, schema] of cases) {
    it(`${name} → ${schema}`, () => {
      expect(violations(schema, parse(out[name]!))).toEqual([]);
    });
  }

  it('watch --json: every NDJSON line is a watch event with snake_case keys, money and prices as decimal strings', () => {
    expect(out.watch!.code).toBe(0);
    const events = out.watch!.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; payload: Record<string, unknown> });
    // What every executed run records; a run may record more (an alert when the machine is slow, say), each checked below.
    const types = new Set(events.map((e) => e.type));
    for (const type of ['run.created', 'run.planned', 'account.snapshot', 'risk.checked', 'run.status', 'order.created', 'order.status', 'market.sampled', 'fill.recorded', 'charges.booked', 'settlement.scheduled']) expect(types, type).toContain(type);
    for (const e of events) expect(violations('watch-event.json', e), e.type).toEqual([]);
    expect(keys(events).filter((k) => /[A-Z]/.test(k))).toEqual([]);
    const fill = events.find((e) => e.type === 'fill.recorded')!.payload as { quantity: number; price: string; value: string; value_minor: number };
    expect(fill.value_minor).toBe(Math.round(fill.quantity * Number(fill.price) * 100));
    expect(fill.value).toBe((fill.value_minor / 100).toFixed(2));
  });

  it('the plan carries cost estimates, TCA sets them against the result, calibrate fits them, simulate runs on a worker thread', () => {
    const planned = parse(out.dryRun!) as { plan: { legs: { estimate: { cost_bps: number } | null }[]; estimate: { cost_minor: number } | null } };
    expect(planned.plan.legs.every((l) => l.estimate !== null && Number.isFinite(l.estimate.cost_bps))).toBe(true);
    expect(planned.plan.estimate!.cost_minor).toBeGreaterThan(0);
    const tca = parse(out.tca!) as { estimate_vs_actual: { legs: unknown[] } | null };
    expect(tca.estimate_vs_actual!.legs).toHaveLength(2);
    expect(parse(out.calibrate!)).toMatchObject({ n: 2, runs: 1, fits: [{ style: 'passive', n: 2, coefficient_before: 0.027 }], written: null, dry_run: true });
    const simulated = parse(out.simulate!) as { workers: number; algorithms: { algo: string; paths: number }[] };
    expect([simulated.workers, simulated.algorithms.map((a) => [a.algo, a.paths])]).toEqual([1, [['twap', 1], ['auto', 1]]]);
  });

  it('the schemas are closed: an unknown field, a number for money or a camelCase key is refused', () => {
    const fills = parse(out.fills!) as { fills: Record<string, unknown>[] };
    const first = fills.fills[0]!;
    expect(violations('fills.json', { fills: [{ ...first, extra: 1 }] })).not.toEqual([]);
    expect(violations('fills.json', { fills: [{ ...first, value: 2100.5 }] })).not.toEqual([]);
    expect(violations('fills.json', { fills: [{ ...first, price: '2100.5' }] })).not.toEqual([]);
    const { trade_id: id, ...rest } = first;
    expect(violations('fills.json', { fills: [{ ...rest, tradeId: id }] })).not.toEqual([]);
  });
});

describe('one money and price convention', () => {
  it('fills, positions, charges, P&L, settlement and TCA give amounts as decimal strings with exact *_minor twins', () => {
    const fill = (parse(out.fills!) as { fills: { quantity: number; price: string; value: string; value_minor: number }[] }).fills[0]!;
    expect(fill.price).toMatch(/^\d+\.\d{2}$/);
    expect(fill.value_minor).toBe(fill.quantity * Math.round(Number(fill.price) * 100));
    const positions = parse(out.positions!) as { cash: string; cash_minor: number };
    expect(positions.cash).toBe((positions.cash_minor / 100).toFixed(2));
    const charges = parse(out.charges!) as { price: string; total: string; total_minor: number; total_bps: number };
    expect([charges.price, typeof charges.total, typeof charges.total_minor, typeof charges.total_bps]).toEqual(['2500.50', 'string', 'number', 'number']);
    const pnl = parse(out.pnl!) as { totals: { realised: string; realised_minor: number; charges: string; charges_minor: number }[] };
    expect(pnl.totals[0]!.charges).toBe((pnl.totals[0]!.charges_minor / 100).toFixed(2));
    const settlement = parse(out.settlement!) as { trades: { cash: string; cash_minor: number }[] };
    expect(settlement.trades[0]!.cash).toBe((settlement.trades[0]!.cash_minor / 100).toFixed(2));
    const tca = parse(out.tca!) as { legs: { paper_value: string; paper_value_minor: number; shortfall: { total: { amount: string; amount_minor: number; bps: number } }; slippage_bps: { arrival: number } }[] };
    expect(tca.legs[0]!.paper_value).toBe((tca.legs[0]!.paper_value_minor / 100).toFixed(2));
    expect(typeof tca.legs[0]!.shortfall.total.bps).toBe('number');
    expect(tca.legs[0]!.shortfall.total.amount).toBe((tca.legs[0]!.shortfall.total.amount_minor / 100).toFixed(2));
  });
});

describe('one vocabulary of leg statuses', () => {
  it('the results, runs show (table and JSON) and the run summary name the same legs the same way', async () => {
    const results = (parse(out.rebalance!) as { results: { leg: number; status: string }[] }).results;
    expect(results.map((r) => r.status)).toEqual(['complete', 'complete']);
    const shown = parse(out.runsShow!) as { legs: { leg: number; status: string; order_status: string }[] };
    expect(shown.legs.map((l) => [l.leg, l.status, l.order_status])).toEqual([
      [0, 'complete', 'filled'],
      [1, 'complete', 'filled'],
    ]);
    const table = await box.run(['runs', 'show', runId]);
    expect(table.stdout).toMatch(/NSE:INFY +buy +twap +30 +30 +[\d.]+ +complete/);
    expect(table.stdout).not.toMatch(/ (filled|accepted) *$/m);
  });
});

describe('a run the pre-trade checks block, and a dry run', () => {
  it('rebalance --json blocked: exit 3, one JSON object with the plan, every verdict with reasons, the run reason and the error; the message once on stderr', () => {
    const r = out.blocked!;
    expect(r.code).toBe(3);
    const body = parse(r) as {
      status: string;
      reason: string | null;
      results: { symbol: string; status: string; reason: string | null }[];
      risk: { run: unknown[]; legs: { symbol: string; verdict: string; reasons: { rule: string; message: string }[] }[] };
      plan: { legs: unknown[] };
      error: { message: string; exit_code: number; issues: unknown[] };
    };
    expect(body.status).toBe('blocked');
    expect(body.reason).toBe('pre-trade checks blocked 1 leg; nothing was sent');
    expect(body.results.map((x) => [x.symbol, x.status])).toEqual([
      ['INFY', 'planned'],
      ['TCS', 'blocked'],
    ]);
    expect(body.results[1]!.reason).toMatch(/^blocked by the pre-trade checks: post-trade weight of NSE:TCS .*\[position_weight\]$/);
    expect(body.risk.run).toEqual([]);
    expect(body.risk.legs.find((l) => l.symbol === 'TCS')).toMatchObject({ verdict: 'block', reasons: [{ rule: 'position_weight' }] });
    expect(body.plan.legs).toHaveLength(2);
    expect(body.error).toMatchObject({ message: body.reason, exit_code: 3, issues: [] });
    expect(occurrences(r.stderr, 'pre-trade checks blocked 1 leg')).toBe(1);
    expect(r.stderr).not.toMatch(/no reason given/);
  });

  it('rebalance without --json blocked says it once on stderr', async () => {
    const r = await box.run(['rebalance', join(box.dir, 'typo.json'), '--yes', '--new-run']);
    expect(r.code).toBe(3);
    expect(occurrences(r.stderr, 'pre-trade checks blocked 1 leg')).toBe(1);
  });

  it('check --json of the same target: the same shape, status blocked, the same verdicts', () => {
    expect(out.check!.code).toBe(3);
    const check = parse(out.check!) as { status: string; reason: string; results: { status: string }[]; risk: unknown };
    const blocked = parse(out.blocked!) as { risk: unknown };
    expect([check.status, check.reason]).toEqual(['blocked', 'pre-trade checks blocked 1 leg']);
    expect(check.results.map((x) => x.status)).toEqual(['planned', 'blocked']);
    expect(check.risk).toEqual(blocked.risk);
  });

  it('--dry-run --json lists each planned leg with status planned', () => {
    expect(out.dryRun!.code).toBe(0);
    const body = parse(out.dryRun!) as { status: string; dry_run: boolean; results: { symbol: string; quantity: number; status: string }[] };
    expect([body.status, body.dry_run]).toEqual(['planned', true]);
    expect(body.results.map((x) => [x.symbol, x.quantity, x.status])).toEqual([
      ['ITC', 30, 'planned'],
      ['SBIN', 20, 'planned'],
    ]);
  });
});

describe('errors with --json', () => {
  it('invalid input: one JSON error with located issues (file, line or path, field), the message once on stderr', async () => {
    const csv = file('bad.csv', 'symbol,target_quantity\nTCS,ten\nINFY,-3\n');
    const json = file('bad.json', { positions: [{ symbol: 'TCS', quantity: 'ten' }] });
    const [c, j] = await Promise.all([box.run(['rebalance', csv, '--json']), box.run(['check', json, '--json'])]);
    expect(c.code).toBe(2);
    expect(violations('error.json', parse(c))).toEqual([]);
    expect((parse(c) as { error: unknown }).error).toEqual({
      message: 'invalid target portfolio, nothing was sent',
      hint: 'fix the file and run again (formats: README "Input formats")',
      exit_code: 2,
      issues: [
        { file: csv, line: 2, field: 'target_quantity', message: 'target_quantity "ten" is not a number' },
        { file: csv, line: 3, field: 'target_quantity', message: expect.stringMatching(/^target_quantity must not be negative/) },
      ],
    });
    expect(occurrences(c.stderr, 'invalid target portfolio')).toBe(1);
    expect(c.stderr).toContain(`${csv}:2 (target_quantity): target_quantity "ten" is not a number`);
    expect((parse(j) as { error: { issues: unknown[] } }).error.issues).toEqual([{ file: json, path: '$.positions[0].quantity', field: 'quantity', message: 'quantity must be a number' }]);
  });

  it('parse errors are JSON too, wherever --json is on the line, in one line each', async () => {
    const lines = [
      ['runs', '--bogus', '--json'],
      ['--json', 'runs', 'lst'],
      ['charges', '--json'],
      ['runs', '--limit', 'x', '--json'],
      ['rebalance', '--json'],
    ];
    const results = await Promise.all(lines.map((args) => box.run(args)));
    for (const r of results) {
      expect(r.code).toBe(2);
      const body = parse(r) as { error: { message: string } };
      expect(violations('error.json', body)).toEqual([]);
      expect(occurrences(r.stderr, 'error: ')).toBe(1);
    }
    expect(results.map((r) => (parse(r) as { error: { message: string } }).error.message)).toEqual([
      'unknown flag --bogus',
      'unknown command `--json`',
      'missing flags --price, --qty, --side',
      '--limit: expected an integer but received: x',
      'missing argument file (target portfolio: JSON or CSV file, or - for stdin)',
    ]);
  });
});
