import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadVolumeProfiles, parseVolumeProfile } from '../../src/app/loaders/volume-profile-file.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { VIRTUAL_POLL_MS } from '../../src/engine/clock/index.js';
import { PROFILE_BINS } from '../../src/engine/runtime/algorithm-context.js';
import { MONDAY_10_IST, World } from './world.js';

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

function issuesOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return `${(err as Error).message} ${JSON.stringify(err)}`;
  }
  throw new Error('no error');
}

describe('a volume profile file (config.json volume_profiles)', () => {
  it('spreads each row until the next and gives cumulative fractions over the NSE session', () => {
    // 375 minutes: a quarter of the volume in the first 75 minutes, the rest evenly after.
    const bins = parseVolumeProfile('minute,volume\n0,25\n75,75\n', 'nse.csv', 'NSE');
    expect(bins).toHaveLength(PROFILE_BINS);
    expect(bins[PROFILE_BINS / 5 - 1]).toBeCloseTo(0.25, 10);
    expect(bins[PROFILE_BINS / 2 - 1]).toBeCloseTo(0.25 + 0.75 * (187.5 - 75) / 300, 10);
    expect(bins.at(-1)).toBeCloseTo(1, 12);
    expect(bins.every((b, i) => i === 0 || b >= bins[i - 1]!)).toBe(true);
  });

  it('names the line and the fix of every bad row, and refuses an exchange it does not know', () => {
    const text = issuesOf(() => parseVolumeProfile('minute,volume\n0,10\n0,5\n400,1\n5,-1\n6\n', 'p.csv', 'NSE'));
    expect(text).toContain('"line":3');
    expect(text).toMatch(/minute 0 does not come after minute 0/);
    expect(text).toMatch(/minute 400 is not a whole minute of the NSE session \(0 to 374\)/);
    expect(text).toMatch(/volume -1 is not a non-negative number/);
    expect(text).toMatch(/expected two values/);
    expect(issuesOf(() => parseVolumeProfile('time,volume\n0,1\n', 'p.csv', 'NSE'))).toMatch(/p\.csv:1: the header must be "minute,volume"/);
    expect(issuesOf(() => parseVolumeProfile('minute,volume\n0,0\n', 'p.csv', 'NSE'))).toMatch(/no row has any volume/);
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-profile-'));
    writeFileSync(join(dir, 'nse.csv'), 'minute,volume\n0,1\n');
    expect(loadVolumeProfiles({ nse: 'nse.csv' }, dir).get('NSE')).toHaveLength(PROFILE_BINS);
    expect(issuesOf(() => loadVolumeProfiles({ LSE: 'nse.csv' }, dir))).toMatch(/LSE is not an exchange/);
    expect(issuesOf(() => loadVolumeProfiles({ NSE: 'missing.csv' }, dir))).toMatch(/cannot be read/);
  });

  it('is what VWAP follows instead of the broker\'s curve', async () => {
    // 10:00 IST is minute 45 of the session. The file puts 90% of 10:00–11:00's volume in its first half hour.
    const file = parseVolumeProfile('minute,volume\n0,10\n45,90\n75,10\n105,100\n', 'nse.csv', 'NSE');
    const firstHalfShare = async (volumeProfiles?: Map<string, number[]>) => {
      const w = new World({}, { inMemory: true, cash: 1e12, seed: 4, start: MONDAY_10_IST });
      worlds.push(w);
      const execution = { algo: 'vwap', orderType: 'limit' as const, params: { duration: '1h', slices: 6 } };
      const { checked } = await w.rebalance('symbol,target_quantity\nRELIANCE,40000\n', { planOptions: { defaultExecution: execution } }, w.service({ runtimeOptions: { pollMs: VIRTUAL_POLL_MS, ...(volumeProfiles ? { volumeProfiles } : {}) } }));
      const children = w.store.events({ runId: checked.runId, types: ['order.created'] }).filter((e) => e.payload.parentId !== undefined && e.payload.parentId !== null);
      const early = children.filter((e) => (e.marketTs ?? 0) < MONDAY_10_IST + 30 * 60_000).reduce((s, e) => s + e.payload.quantity, 0);
      return early / children.reduce((s, e) => s + e.payload.quantity, 0);
    };
    const broker = await firstHalfShare();
    const user = await firstHalfShare(new Map([['NSE', file]]));
    expect(broker).toBeLessThan(0.7);
    expect(user).toBeGreaterThan(0.85);
  });
});
