import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { loadRiskConfig } from '../../src/app/loaders/risk-config.js';
import { defaultRiskConfig, parseGroupMapping } from '../../src/engine/risk/index.js';

function errorOf(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidInputError) return err;
    throw err;
  }
  throw new Error('expected an InvalidInputError');
}

describe('risk configuration', () => {
  it('has defaults for every rule', () => {
    const config = loadRiskConfig(undefined);
    expect(config).toEqual(defaultRiskConfig());
    expect(config.price_band).toEqual({ max_pct: 5, warn_pct: 2 });
    expect(config.session.paper_follows_exchange).toBe(false);
  });

  it('merges a partial section with the defaults and accepts null to switch a limit off', () => {
    const config = loadRiskConfig({ price_band: { max_pct: 3 }, liquidity: { max_adv_pct: null } });
    expect(config.price_band).toEqual({ max_pct: 3, warn_pct: 2 });
    expect(config.liquidity.max_adv_pct).toBeNull();
    expect(config.order.max_quantity).toBe(100_000);
  });

  it('names the field of an invalid value', () => {
    const err = errorOf(() => loadRiskConfig({ price_band: { max_pct: 'five' } }));
    expect(err.message).toContain('risk.price_band.max_pct');
  });

  it('names an unknown key instead of ignoring it', () => {
    const err = errorOf(() => loadRiskConfig({ price_band: { max_pcnt: 5 } }));
    expect(err.message).toContain('max_pcnt');
    expect(errorOf(() => loadRiskConfig({ fat_finger: {} })).message).toContain('fat_finger');
  });

  it('reads a --risk file instead of the config section, and its group file relative to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-risk-'));
    writeFileSync(join(dir, 'groups.csv'), 'symbol,group\nTCS,IT\nNSE:INFY,IT\n# comment\n\nHDFCBANK,Banks\n');
    writeFileSync(join(dir, 'risk.json'), JSON.stringify({ concentration: { max_group_pct: 30, groups_file: 'groups.csv' } }));
    const config = loadRiskConfig({ price_band: { max_pct: 1 } }, join(dir, 'risk.json'));
    expect(config.price_band.max_pct).toBe(5);
    expect([...config.groups]).toEqual([
      ['TCS', 'IT'],
      ['NSE:INFY', 'IT'],
      ['HDFCBANK', 'Banks'],
    ]);
    writeFileSync(join(dir, 'bad.json'), '{ "order": ');
    expect(errorOf(() => loadRiskConfig(undefined, join(dir, 'bad.json'))).message).toContain('not valid JSON');
    expect(errorOf(() => loadRiskConfig(undefined, join(dir, 'missing.json'))).message).toContain('ENOENT');
    writeFileSync(join(dir, 'nogroups.json'), JSON.stringify({ concentration: { groups_file: 'nope.csv' } }));
    expect(errorOf(() => loadRiskConfig(undefined, join(dir, 'nogroups.json'))).message).toContain('risk.concentration.groups_file');
  });

  it('a --risk file may hold the bare section or be wrapped as in config.json ({"risk": …})', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-risk-'));
    writeFileSync(join(dir, 'wrapped.json'), JSON.stringify({ risk: { price_band: { max_pct: 3 } } }));
    writeFileSync(join(dir, 'config-shaped.json'), JSON.stringify({ default_broker: 'paper', risk: { order: { max_quantity: 10 } } }));
    expect(loadRiskConfig(undefined, join(dir, 'wrapped.json')).price_band.max_pct).toBe(3);
    expect(loadRiskConfig(undefined, join(dir, 'config-shaped.json')).order.max_quantity).toBe(10);
    // A risk key beside fields of the section itself is not a wrapper: the unknown field is named.
    writeFileSync(join(dir, 'mixed.json'), JSON.stringify({ risk: {}, order: { max_quantity: 10 } }));
    expect(errorOf(() => loadRiskConfig(undefined, join(dir, 'mixed.json'))).message).toContain('risk');
  });

  it('parses JSON group mappings and rejects malformed CSV', () => {
    expect([...parseGroupMapping('{"tcs": "IT"}', 'g.json')]).toEqual([['TCS', 'IT']]);
    expect(() => parseGroupMapping('name,sector\nTCS,IT', 'g.csv')).toThrow(/symbol/);
    expect(() => parseGroupMapping('symbol,group\nTCS,', 'g.csv')).toThrow(/g.csv:2/);
  });
});
