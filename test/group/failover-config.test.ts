import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { loadConfig } from '../../src/lib/config.js';

const dir = mkdtempSync(join(tmpdir(), 'ptexec-failover-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string) {
  writeFileSync(join(dir, 'config.json'), text);
  return loadConfig(join(dir, 'config.json'));
}

describe('config.json failover.outage_seconds', () => {
  it('is whole seconds from 1 to 3600; anything else is refused naming the key (exit 2)', () => {
    expect(load('{"failover":{"outage_seconds":90}}').failover).toEqual({ outage_seconds: 90 });
    expect(load('{"failover":{}}').failover).toEqual({});
    for (const bad of ['0', '3601', '1.5', '"60"']) {
      let err: unknown;
      try {
        load(`{"failover":{"outage_seconds":${bad}}}`);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(InvalidInputError);
      expect(JSON.stringify((err as InvalidInputError).issues), bad).toContain('failover.outage_seconds');
    }
  });
});
