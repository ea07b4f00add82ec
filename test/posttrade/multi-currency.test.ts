import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliSandbox } from '../cli/cli-harness.js';

const box = new CliSandbox();
afterAll(() => box.cleanup());

type Money = { currency: string; [k: string]: unknown };
const write = (name: string, text: string) => {
  const path = join(box.dir, name);
  writeFileSync(path, text);
  return path;
};

describe('USD beside INR: every total is per currency, never summed across them', () => {
  it('refuses a target mixing NSE and NASDAQ lines, then keeps an INR run and a USD run apart in pnl, tca, settlement, runs and reconcile', async () => {
    const risk = write('risk.json', JSON.stringify({ session: { enforce: false } }));
    const mixed = write('mixed.csv', 'symbol,exchange,target_quantity\nINFY,NSE,20\nAAPL,NASDAQ,10\n');
    const refused = await box.json<{ error: { message: string; hint: string } }>(['rebalance', mixed, '--dry-run', '--risk', risk]);
    expect(refused.code).toBe(2);
    expect(refused.body.error.message).toMatch(/NASDAQ:AAPL trades in USD but the account is in INR/);
    expect(refused.body.error.hint).toMatch(/each currency with its own account/);

    // An INR account sells INFY (proceeds pending T+1), then the same paper account, reset to USD, buys AAPL.
    expect((await box.run(['paper', 'reset', '--holding', 'INFY=30', '--yes'])).code).toBe(0);
    const inr = await box.json(['rebalance', write('in.csv', 'symbol,exchange,target_quantity\nINFY,NSE,20\n'), '--yes', '--no-ui', '--speed', 'max', '--risk', risk]);
    expect(inr.code).toBe(0);
    expect((await box.run(['paper', 'reset', '--currency', 'USD', '--yes'])).code).toBe(0);
    const usd = await box.json(['rebalance', write('us.csv', 'symbol,exchange,target_quantity\nAAPL,NASDAQ,10\n'), '--yes', '--no-ui', '--speed', 'max', '--risk', risk]);
    expect(usd.code).toBe(0);

    // P&L: one total per currency, each the sum of its own positions.
    const pnl = await box.json<{ positions: (Money & { realised_minor: number; charges_minor: number })[]; totals: (Money & { realised_minor: number; charges_minor: number })[] }>(['pnl']);
    expect(pnl.body.totals.map((t) => t.currency)).toEqual(['INR', 'USD']);
    for (const t of pnl.body.totals) {
      const own = pnl.body.positions.filter((p) => p.currency === t.currency);
      expect(t.realised_minor).toBe(own.reduce((s, p) => s + p.realised_minor, 0));
      expect(t.charges_minor).toBe(own.reduce((s, p) => s + p.charges_minor, 0));
    }

    // TCA over both runs by algorithm: one group per currency (bps weighted by value only within a currency).
    const tca = await box.json<{ groups: { key: string; currency: string; legs: number }[] }>(['tca', '--group-by', 'algo']);
    expect(tca.body.groups.map((g) => [g.key, g.currency, g.legs])).toEqual([['market', 'INR', 1], ['market', 'USD', 1]]);
    const csv = await box.run(['tca', '--group-by', 'algo', '--csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^key,currency,/);

    // Settlement: each day's cash in its own currency, equal to its trades' cash.
    const settlement = await box.json<{ days: { cash: (Money & { amount_minor: number })[] }[]; trades: (Money & { cash_minor: number })[] }>(['settlement']);
    const due = new Map<string, number>();
    for (const d of settlement.body.days) for (const c of d.cash) due.set(c.currency, (due.get(c.currency) ?? 0) + c.amount_minor);
    const fromTrades = new Map<string, number>();
    for (const t of settlement.body.trades) fromTrades.set(t.currency, (fromTrades.get(t.currency) ?? 0) + t.cash_minor);
    expect([...due.keys()].sort()).toEqual(['INR', 'USD']);
    expect(due).toEqual(fromTrades);

    // Each run's traded value says its currency.
    const runs = await box.json<{ runs: { source: string; summary: { currency: string; traded_value_minor: number } }[] }>(['runs']);
    expect(runs.body.runs.map((r) => [r.source.split('/').pop(), r.summary.currency])).toEqual([['us.csv', 'USD'], ['in.csv', 'INR']]);

    // The USD account reconciles in dollars, the INR sale's pending rupees left out.
    const reconcile = await box.json<{ cash: { currency: string; ours_minor: number; broker_minor: number }; matches: boolean }>(['reconcile', '--broker', 'paper']);
    expect(reconcile.body.cash.currency).toBe('USD');
    expect(reconcile.body.matches).toBe(true);
  }, 30_000);
});
