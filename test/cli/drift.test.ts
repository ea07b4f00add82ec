import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { violations } from '../schemas/contract.js';
import { CliSandbox } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

interface DriftLine {
  symbol: string;
  current_weight: number;
  target_weight: number;
  outside: boolean;
}

describe('ptexec drift and rebalance --band on the paper broker', () => {
  it('shows lines outside their bands, trades them, then finds every line inside and does nothing', async () => {
    const target = join(box.dir, 'weights.csv');
    writeFileSync(target, 'symbol,weight,band_abs\nRELIANCE,0.2,\nTCS,0.15,0.5%\n');

    const before = await box.json<{ outside: boolean; lines: DriftLine[] }>(['drift', target, '--band', 'abs=2%,rel=25%']);
    expect(before.code).toBe(0);
    expect(violations('drift.json', before.body)).toEqual([]);
    expect(before.body.outside).toBe(true);
    expect(before.body.lines.map((l) => [l.symbol, l.current_weight, l.target_weight, l.outside])).toEqual([
      ['RELIANCE', 0, 0.2, true],
      ['TCS', 0, 0.15, true],
    ]);
    const table = await box.run(['drift', target, '--band', 'abs=2%']);
    expect(table.stdout).toMatch(/NSE:TCS +0\.00% +15\.00% +-15\.00 +-100\.00% +abs 0\.50% +abs/);
    expect(table.stdout).toMatch(/2 lines outside their bands/);

    const traded = await box.run(['rebalance', target, '--band', 'abs=2%,rel=25%', '--speed', 'max', '--seed', '7', '-y', '--no-ui']);
    expect(traded.code).toBe(0);
    expect(traded.stdout + traded.stderr).toMatch(/completed/);

    const after = await box.json<{ outside: boolean; lines: DriftLine[] }>(['drift', target, '--band', 'abs=2%,rel=25%']);
    expect(after.body.outside).toBe(false);
    const again = await box.json<{ status: string; reason: string }>(['rebalance', target, '--band', 'abs=2%,rel=25%', '--speed', 'max', '-y', '--no-ui']);
    expect(again.code).toBe(0);
    expect(violations('rebalance.json', again.body)).toEqual([]);
    expect(again.body).toMatchObject({ status: 'inside-bands', reason: 'inside bands, nothing to do' });
    const text = await box.run(['rebalance', target, '--band', 'abs=2%,rel=25%', '--speed', 'max', '-y', '--no-ui']);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/inside bands, nothing to do/);

    const badFlag = await box.run(['rebalance', target, '--band', 'abs=2,rel=x', '--dry-run']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--band abs=2,rel=x .*abs is above 1/);
    expect((await box.run(['rebalance', target, '--cash-only', '100.123', '--dry-run'])).stderr).toMatch(/--cash-only 100\.123 is not an amount/);
    expect((await box.run(['rebalance', target, '--cash-only', '5000', '--band', 'abs=2%', '--dry-run'])).code).toBe(2);
    const badFile = join(box.dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ positions: [{ symbol: 'TCS', weight: 0.1, band: { abs: -1 } }, { symbol: 'INFY', weight: 0.1, band: {} }] }));
    const bad = await box.run(['drift', badFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/positions\[0\]\.band\.abs.*abs must be a non-negative number/);
    expect(bad.stderr).toMatch(/positions\[1\]\.band.*needs "abs", "rel" or both/);
  });
});
