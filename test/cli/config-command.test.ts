import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReport, initConfig } from '../../src/app/config-report.js';
import { CONFIG_TEMPLATE } from '../../src/app/config-template.js';
import { parseNotifyConfig } from '../../src/app/notify/notify-config.js';
import { parsePaperConfig } from '../../src/brokers/paper/config.js';
import { parseZerodhaSettings } from '../../src/brokers/zerodha/config.js';
import { loadChargeSchedules } from '../../src/app/loaders/charge-schedules.js';
import { validateRiskConfig } from '../../src/engine/risk/config.js';
import { loadConfig } from '../../src/lib/config.js';
import { stripJsonComments } from '../../src/lib/jsonc.js';

function sandboxEnv(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-config-'));
  return { PTEXEC_CONFIG_DIR: join(dir, 'config'), PTEXEC_DB: join(dir, 'ptexec.db') };
}

describe('config.json with comments', () => {
  it('blanks comments and trailing commas outside strings, keeping positions', () => {
    const text = '// head\n{ "a": "x // y, }", /* b */ "b": [1, 2,],\n  // "c": 3,\n  "d": {"e": 1,}, }';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ a: 'x // y, }', b: [1, 2], d: { e: 1 } });
    expect(stripJsonComments(text)).toHaveLength(text.length);
  });

  it('config init writes a file every section accepts, and every commented key is valid when uncommented', () => {
    const env = sandboxEnv();
    const { path } = initConfig({ force: false, env });
    expect(readFileSync(path, 'utf8')).toBe(CONFIG_TEMPLATE);
    expect(() => initConfig({ force: false, env })).toThrow(/already exists/);
    expect(initConfig({ force: true, env }).replaced).toBe(true);
    expect(loadConfig(path)).toMatchObject({ default_broker: 'paper' });

    const keyLines = CONFIG_TEMPLATE.split('\n').filter((l) => /^\s*\/\/ "/.test(l));
    expect(keyLines.length).toBeGreaterThan(30);
    writeFileSync(path, CONFIG_TEMPLATE.replace(/^(\s*)\/\/ (")/gm, '$1$2'));
    writeFileSync(join(env.PTEXEC_CONFIG_DIR!, 'my-schedules.json'), JSON.stringify({ schedules: {} }));
    const all = loadConfig(path);
    expect(() => parsePaperConfig(all.paper)).not.toThrow();
    expect(parseZerodhaSettings(all.brokers?.['zerodha'], {}).error).toBeUndefined();
    expect(validateRiskConfig(all.risk)).toHaveProperty('config');
    expect(() => loadChargeSchedules({ config: all.charges, configDir: env.PTEXEC_CONFIG_DIR })).not.toThrow();
    expect(all.paper).toMatchObject({ seed: 42 });
    expect(parseNotifyConfig(all.notify, path)).toMatchObject({ webhook: { retries: 3 }, email: { port: 587 } });
  });

  it('config show gives each value and its source: file, environment or default', () => {
    const env: NodeJS.ProcessEnv = { ...sandboxEnv(), PTEXEC_ZERODHA_URL: 'http://127.0.0.1:9/kite' };
    const before = configReport({ env });
    expect(before.file_exists).toBe(false);
    const value = (report: typeof before, key: string) => report.values.find((v) => v.key === key);
    expect(value(before, 'default_broker')).toEqual({ key: 'default_broker', value: 'paper', source: 'default' });
    initConfig({ force: false, env });
    writeFileSync(configReport({ env }).file, '{ "default_broker": "zerodha", "risk": { "order": { "max_quantity": 10 } }, "charges": { "file": "s.json" } }');
    const report = configReport({ env, dbFlag: '/tmp/x.db' });
    expect(value(report, 'default_broker')).toMatchObject({ value: 'zerodha', source: 'file' });
    expect(value(report, 'risk.order.max_quantity')).toMatchObject({ value: 10, source: 'file' });
    expect(value(report, 'risk.order.max_value')).toMatchObject({ value: 10_000_000, source: 'default' });
    expect(value(report, 'brokers.zerodha.api_url')).toMatchObject({ value: 'http://127.0.0.1:9/kite', source: 'env PTEXEC_ZERODHA_URL' });
    expect(value(report, 'paths.database')).toMatchObject({ value: '/tmp/x.db', source: 'flag --db' });
    expect(value(report, 'paths.config_file')).toMatchObject({ source: 'env PTEXEC_CONFIG_DIR' });
    expect(value(report, 'charges.file')).toMatchObject({ value: join(env.PTEXEC_CONFIG_DIR!, 's.json'), source: 'file' });
    expect(value(report, 'paper.latencyMs')).toMatchObject({ value: 15, source: 'default' });
  });
});
