import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, paperOrderCount } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

/** A file with the given text; JSON values are written as JSON. */
function file(name: string, content: unknown): string {
  const path = join(box.dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

// The fresh paper account holds nothing: a target of 0 is a line already at target.
const lines = [
  { symbol: 'ITC', quantity: 0, algo: 'nosuch' },
  { symbol: 'INFY', quantity: 0, algo: 'twap', algo_params: { slice: 5 } },
  { symbol: 'ICICIBANK', quantity: 0, limit_price: 1370.03 },
  { symbol: 'TCS', quantity: 5, limit_price: 3120.055 },
  { symbol: 'SBIN', quantity: 5, algo_params: { duraton: '2h' } },
  { symbol: 'LT', quantity: 5, order_type: 'stop', stop_price: 4400, algo_params: { duration: 'NaN' } },
  { symbol: 'HDFCBANK', quantity: 5, algo: 'twap', algo_params: { duration: '99999h' } },
];
const cases: { name: string; content: unknown; messages: RegExp[] }[] = [
  {
    name: 'lines.json',
    content: { positions: lines },
    messages: [
      /lines\.json \$\.positions\[0\]\.algo: unknown algorithm "nosuch"/,
      /\$\.positions\[1\]\.algo_params\.slice: "slice" is not a parameter of twap/,
      /\$\.positions\[2\]\.limit_price: limit_price 1370\.03 is not on the tick of 0\.10 for ICICIBANK: use 1370\.00 or 1370\.10/,
      /\$\.positions\[3\]\.limit_price: limit_price 3120\.055 is not on the tick of 0\.10 for TCS: use 3120\.00 or 3120\.10/,
      /\$\.positions\[4\]\.algo_params\.duraton: "duraton" is not a parameter of market: it takes duration/,
      /\$\.positions\[5\]\.algo_params\.duration: duration = "NaN" is not a duration; write it with a unit: 90s, 30m, 1h or 2h30m/,
      /\$\.positions\[6\]\.algo_params\.duration: duration = "99999h" is longer than 24h/,
    ],
  },
  { name: 'at-target-tick.csv', content: 'symbol,quantity,limit_price\nITC,0,405.03\n', messages: [/at-target-tick\.csv:2 \(limit_price\): limit_price 405\.03 is not on the tick of 0\.05 for ITC: use 405\.00 or 405\.05/] },
  {
    name: 'twice.json',
    content: '{"positions":[{"symbol":"TCS",\n"quantity":10,\n"quantity":20}],\n"positions":[{"symbol":"INFY","quantity":1}]}',
    messages: [/twice\.json \$\.positions\[0\]\.quantity \(line 3\): "quantity" is given twice \(first at line 2\)/, /twice\.json \$\.positions \(line 4\): "positions" is given twice \(first at line 1\)/],
  },
  { name: 'twice.csv', content: 'symbol,quantity,quantity\nTCS,1,2\n', messages: [/twice\.csv:1: the CSV header has "quantity" twice \(columns 2 and 3\)/] },
  { name: 'array.json', content: '[1,2]', messages: [/array\.json: is JSON but not an object/] },
  { name: 'unknown.csv', content: `symbol,quantity\n${Array.from({ length: 20_000 }, (_, i) => `ZZ${i},1`).join('\n')}\n`, messages: [/ZZ19 \(.*unknown\.csv:21\) and 19,980 more; nothing was sent/] },
];

describe('ptexec rebalance and check refuse bad input, whatever the account holds', () => {
  it('exits 2 naming the place and the fix, and sends nothing', async () => {
    for (const c of cases) {
      const r = await box.run(['rebalance', file(c.name, c.content), '--speed', 'max', '--yes']);
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(2);
      for (const message of c.messages) expect(r.stderr, c.name).toMatch(message);
      // 20,000 unknown symbols: twenty are named, the rest counted.
      expect(r.stderr.length, c.name).toBeLessThan(2_000);
    }
    const ok = file('ok.json', { positions: [{ symbol: 'TCS', quantity: 5 }] });
    const broker = await box.run(['rebalance', ok, '--broker', 'nosuch', '--speed', 'max']);
    expect([broker.code, broker.stderr]).toEqual([2, expect.stringMatching(/unknown broker "nosuch"/)]);
    const flags = await box.run(['check', ok, '--algo', 'twap', '--duration', '2h', '--param', 'nosuch=1']);
    expect([flags.code, flags.stderr]).toEqual([2, expect.stringMatching(/--algo twap: --param nosuch is not a parameter of any algorithm/)]);

    mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), '{"input":{"max_bytes":40}}');
    const large = await box.run(['rebalance', ok, '--speed', 'max', '--yes']);
    expect([large.code, large.stderr]).toEqual([2, expect.stringMatching(/ok\.json is 45 bytes, above the limit of 40 bytes .*"input": \{"max_bytes": 400\}/s)]);
    expect(paperOrderCount(box.db)).toBe(0);
  });

  it('check takes the execution flags of rebalance and accepts a file that trades with them', async () => {
    const r = await box.run(['check', file('ok.json', { positions: [{ symbol: 'TCS', quantity: 5 }, { symbol: 'ITC', quantity: 0, algo: 'limit', algo_params: { offset_bps: 2 } }] }), '--algo', 'twap', '--duration', '2h', '--slices', '4', '--param', 'child_type=market']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/NSE:TCS .* twap/);
  });
});
