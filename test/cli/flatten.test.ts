import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

describe('ptexec flatten and rebalance --amo, as a script sees them', () => {
  it('a halt refuses flatten (exit 3) until --override-halt --reason; --amo on paper is exit 2', async () => {
    expect((await box.run(['paper', 'reset', '--holding', 'INFY=10', '--holding', 'TCS=5', '-y'])).code).toBe(0);
    expect((await box.run(['halt', '--reason', 'desk halt'])).code).toBe(0);
    const refused = await box.run(['flatten', '--speed', 'max', '-y']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/trading is halted .*nothing was stopped or sold/);
    expect(refused.stderr).toMatch(/--override-halt --reason/);
    const flattened = await box.json<{ status: string; override_halt: string; stopped_runs: unknown[]; results: { symbol: string; side: string; quantity: number; status: string }[] }>(['flatten', '--override-halt', '--reason', 'closing out', '--speed', 'max', '--seed', '3', '-y', '--no-ui']);
    expect(flattened.code, flattened.stderr).toBe(0);
    expect(flattened.body).toMatchObject({ status: 'completed', override_halt: 'closing out', stopped_runs: [] });
    expect(flattened.body.results.map((r) => [r.symbol, r.side, r.quantity, r.status]).sort()).toEqual([['INFY', 'sell', 10, 'complete'], ['TCS', 'sell', 5, 'complete']]);
    expect((await box.run(['unhalt'])).code).toBe(0);
    const amo = await box.run(['rebalance', '-', '--amo', '--speed', 'max', '-y'], { input: 'symbol,target_quantity\nINFY,1\n' });
    expect(amo.code).toBe(2);
    expect(amo.stderr).toMatch(/--amo: the paper broker does not simulate after-market orders; nothing was sent/);
  });
});
