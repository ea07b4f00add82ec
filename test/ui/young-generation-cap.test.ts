import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const moduleUrl = new URL('../../dist/ui/young-generation-cap.js', import.meta.url);

/** Allocates at a dashboard-like rate in a fresh process; prints the final new space in MB. */
function newSpaceAfterChurn(capMb: number | null): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { YoungGenerationCap } from ${JSON.stringify(moduleUrl.href)};
    const cap = ${capMb === null ? 'null' : `new YoungGenerationCap(${capMb} * 1024 * 1024)`};
    let keep = [];
    for (let i = 0; i < 3_000_000; i++) {
      keep.push({ i, s: 'cell' + i });
      if (keep.length > 20_000) keep = [];
      if (i % 5_000 === 0) cap?.check();
    }
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(space.space_size / 1048576);`;
  // A process of its own: the flag the cap sets is process-wide.
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

describe('YoungGenerationCap', () => {
  it('stops the new space growing once it reaches the limit; without it V8 grows it to 32 MB', () => {
    if (!existsSync(moduleUrl)) throw new Error('build first: npm run build');
    const free = newSpaceAfterChurn(null);
    const capped = newSpaceAfterChurn(4);
    expect(free).toBeGreaterThan(8);
    expect(capped).toBeGreaterThanOrEqual(4);
    expect(capped).toBeLessThanOrEqual(8); // at most one doubling past the limit between checks
  });
});
