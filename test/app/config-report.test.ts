import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configReport } from '../../src/app/config-report.js';
import { registerBroker } from '../../src/brokers/registry.js';
import { PAPER_CAPABILITIES } from '../../src/brokers/paper/capabilities.js';

const dir = mkdtempSync(join(tmpdir(), 'ptexec-config-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configReport', () => {
  it('reports each registered broker’s settings as its adapter resolves them, with the environment’s overrides', () => {
    mkdirSync(join(dir, 'ptexec'));
    writeFileSync(join(dir, 'ptexec', 'config.json'), JSON.stringify({ brokers: { acme: { region: 'eu' } } }));
    registerBroker('acme', {
      traits: PAPER_CAPABILITIES,
      create: () => Promise.reject(new Error('not opened here')),
      settings: { path: 'brokers.acme', resolve: (section, env) => ({ settings: { region: 'us', ...(section as object), token_url: env.ACME_URL ?? 'https://acme' }, fromEnv: (env.ACME_URL ? { token_url: 'ACME_URL' } : {}) as Record<string, string> }) },
    });
    const env = { XDG_CONFIG_HOME: dir, ACME_URL: 'http://127.0.0.1:9', PTEXEC_ZERODHA_URL: 'http://127.0.0.1:8' };
    const values = configReport({ env }).values;
    const at = (key: string) => values.find((v) => v.key === key);
    expect(at('brokers.acme.region')).toEqual({ key: 'brokers.acme.region', value: 'eu', source: 'file' });
    expect(at('brokers.acme.token_url')).toEqual({ key: 'brokers.acme.token_url', value: 'http://127.0.0.1:9', source: 'env ACME_URL' });
    expect(at('brokers.zerodha.api_url')).toMatchObject({ value: 'http://127.0.0.1:8', source: 'env PTEXEC_ZERODHA_URL' });
    expect(at('default_broker')).toMatchObject({ value: 'paper', source: 'default' });
    // Top-level sections first, as the file documents them.
    const keys = values.map((v) => v.key);
    expect(keys.findIndex((k) => k.startsWith('paper.'))).toBeLessThan(keys.findIndex((k) => k.startsWith('brokers.')));
  });
});
