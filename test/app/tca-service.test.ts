import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Factory } from '../../src/app/factory.js';
import { tcaCsv, tcaJson } from '../../src/app/render/tca-report.js';
import { transactionCosts } from '../../src/app/tca-service.js';
import { fakeIO } from '../lib/fake-terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'ptexec-tca-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'tca-input.json'), 'utf8');
const factory = (input?: string) => new Factory(fakeIO({ input, env: { XDG_CONFIG_HOME: join(dir, 'config') } }).io, { db: join(dir, 'ptexec.db') });

describe('transactionCosts', () => {
  it('analyses orders piped in on standard input (--input -)', async () => {
    const result = await transactionCosts(factory(example), { input: '-' });
    expect(result.kind).toBe('legs');
    const json = tcaJson(result) as { run_id: string | null; legs: unknown[] };
    expect(json.run_id).toBeNull();
    expect(json.legs.length).toBeGreaterThan(0);
    expect(tcaCsv(result).split('\n')).toHaveLength(json.legs.length + 1);
  });

  it('names what is wrong with the request, and an empty database', async () => {
    await expect(transactionCosts(factory(), { since: '2026-01-01' })).rejects.toThrow(/--since works with --group-by/);
    await expect(transactionCosts(factory(), { run: 'r1', input: 'x.json' })).rejects.toThrow(/either a run id or --input/);
    await expect(transactionCosts(factory(), {})).rejects.toThrow(/no runs yet/);
    expect(tcaJson(await transactionCosts(factory(), { groupBy: 'algo' }))).toEqual({ group_by: 'algo', runs: 0, legs: 0, groups: [] });
  });
});
