import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const moduleUrl = new URL('../../dist/ui/young-generation-cap.js', import.meta.url);

/**
 * Runs `body` in a fresh process (the flag the cap sets is process-wide) with `churn()` — allocation
 * at a dashboard-like rate, calling `cap?.check()` as a frame would — and `newSpaceMb()` in scope;
 * returns what the body prints, as numbers. `churn()` returns the largest new space it saw.
 */
function inFreshProcess(body: string): number[] {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { YoungGenerationCap } from ${JSON.stringify(moduleUrl.href)};
    const newSpaceMb = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    // Returns the largest new space seen at a check: V8 may shrink the space again once churn ends.
    // Free, V8 doubles the new space past 8 MB within about 70,000 objects and reaches 32 MB by
    // about 450,000: 600,000 is long enough for the uncapped run to show its full growth, and
    // the capped run churns that long again.
    const churn = (cap) => {
      let keep = [];
      let peak = 0;
      for (let i = 0; i < 600_000; i++) {
        keep.push({ i, s: 'cell' + i });
        if (keep.length > 20_000) keep = [];
        if (i % 5_000 === 0) {
          cap?.check();
          peak = Math.max(peak, newSpaceMb());
        }
      }
      return peak;
    };
    ${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split(/\s+/).map(Number);
}

describe('YoungGenerationCap', () => {
  it('stops the new space growing once it reaches the limit; without it V8 grows it to 32 MB', () => {
    if (!existsSync(moduleUrl)) throw new Error('build first: npm run build');
    const [free] = inFreshProcess('console.log(churn());');
    const [capped] = inFreshProcess('console.log(churn(new YoungGenerationCap(4 * 1048576)));');
    expect(free).toBeGreaterThan(8);
    expect(capped).toBeGreaterThanOrEqual(4);
    expect(capped).toBeLessThanOrEqual(8); // at most one doubling past the limit between checks
  }, 120_000); // each fresh process churns 600,000 objects: a second of CPU, more on a loaded machine

  it('holds the new space where it is until the next check, which lets it grow to the limit', () => {
    const [held, grown] = inFreshProcess(`
      const cap = new YoungGenerationCap(4 * 1048576);
      const before = newSpaceMb();
      cap.hold();
      churn();
      const held = newSpaceMb() - before;
      churn(cap);
      console.log(held, newSpaceMb());`);
    expect(held).toBeLessThanOrEqual(1); // a growth V8 had already decided on; free, it grows by 30 MB
    expect(grown).toBeGreaterThanOrEqual(4);
    expect(grown).toBeLessThanOrEqual(8);
  }, 120_000);
});
