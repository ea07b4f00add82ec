import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createZerodhaBroker } from '../../src/brokers/zerodha/factory.js';
import '../../src/brokers/index.js';
import { brokerRegistration } from '../../src/brokers/registry.js';
import type { Broker } from '../../src/brokers/broker.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { readCredentialsFile, resolveCredentials, updateBrokerCredentials } from '../../src/lib/credentials.js';
import { startKiteEmulator } from '../emulators/kite/index.js';

const tempEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'ptexec-cfg-')), XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'ptexec-data-')), ...extra });
const credentialsPath = (env: NodeJS.ProcessEnv) => join(env.XDG_CONFIG_HOME!, 'ptexec', 'credentials.json');

describe('the credentials file', () => {
  it('is created 0600 and round-trips', () => {
    const env = tempEnv();
    const path = credentialsPath(env);
    updateBrokerCredentials('zerodha', { api_key: 'key1', access_token: 'tok1', user_id: 'ZX1234', expires_at: '2026-01-06T00:30:00.000Z' }, path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readCredentialsFile(path).brokers.zerodha).toEqual({ api_key: 'key1', access_token: 'tok1', user_id: 'ZX1234', expires_at: '2026-01-06T00:30:00.000Z' });
    updateBrokerCredentials('zerodha', { access_token: undefined }, path);
    expect(readCredentialsFile(path).brokers.zerodha).toEqual({ api_key: 'key1', user_id: 'ZX1234', expires_at: '2026-01-06T00:30:00.000Z' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('is refused when group or world can read it, with the chmod to run', () => {
    const env = tempEnv();
    const path = credentialsPath(env);
    updateBrokerCredentials('zerodha', { api_key: 'key1' }, path);
    chmodSync(path, 0o644);
    expect(() => readCredentialsFile(path)).toThrow(`run \`chmod 600 ${path}\``);
    expect(() => resolveCredentials('zerodha', env)).toThrow(/mode 0644/);
  });

  it('lets the environment supply or override any credential', () => {
    const env = tempEnv();
    updateBrokerCredentials('zerodha', { api_key: 'filekey', access_token: 'filetoken', user_id: 'ZX1', expires_at: '2030-01-01T00:30:00.000Z' }, credentialsPath(env));
    const fromFile = resolveCredentials('zerodha', env);
    expect(fromFile).toMatchObject({ apiKey: 'filekey', accessToken: 'filetoken', userId: 'ZX1', sources: { apiKey: 'file', accessToken: 'file' } });
    const overridden = resolveCredentials('zerodha', { ...env, PTEXEC_ZERODHA_ACCESS_TOKEN: 'envtoken' });
    expect(overridden).toMatchObject({ apiKey: 'filekey', accessToken: 'envtoken', expiresAt: undefined, sources: { apiKey: 'file', accessToken: 'env' } });
  });
});

describe('the zerodha factory', () => {
  it('is registered, and refuses to build without credentials, pointing at the login command', async () => {
    const factory = brokerRegistration('zerodha')?.create;
    expect(factory).toBeTypeOf('function');
    const err = await factory!({ tables: undefined as never, clock: new VirtualClock(), config: {}, env: tempEnv() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'BrokerError', kind: 'auth', message: /ptexec brokers login zerodha/ });
  });

  it('refuses an expired stored session', async () => {
    const env = tempEnv();
    updateBrokerCredentials('zerodha', { api_key: 'k', access_token: 't', expires_at: '2026-01-05T00:30:00.000Z' }, credentialsPath(env));
    const credentials = resolveCredentials('zerodha', env);
    const err = await createZerodhaBroker({ tables: undefined as never, clock: new VirtualClock(Date.UTC(2026, 0, 5, 4)), config: {}, env, credentials }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'auth', message: /session expired at 2026-01-05T00:30:00.000Z/ });
  });

  it('rejects an invalid config section as an input error', async () => {
    const env = tempEnv({ PTEXEC_ZERODHA_API_KEY: 'k', PTEXEC_ZERODHA_ACCESS_TOKEN: 't' });
    await expect(createZerodhaBroker({ tables: undefined as never, clock: new VirtualClock(), config: { market_protection: 0 }, env })).rejects.toMatchObject({ name: 'InvalidInputError', message: /market_protection/ });
    await expect(createZerodhaBroker({ tables: undefined as never, clock: new VirtualClock(), config: { colour: 'red' }, env })).rejects.toMatchObject({ name: 'InvalidInputError' });
  });

  it('builds a working adapter from environment credentials and the URL overrides', async () => {
    const emu = await startKiteEmulator();
    const env = tempEnv({ PTEXEC_ZERODHA_API_KEY: emu.apiKey, PTEXEC_ZERODHA_ACCESS_TOKEN: 'emuaccesstoken0001', PTEXEC_ZERODHA_URL: emu.url, PTEXEC_ZERODHA_WS_URL: emu.wsUrl });
    let broker: Broker | undefined;
    try {
      broker = await brokerRegistration('zerodha')!.create({ tables: undefined as never, clock: new VirtualClock(), config: { market_protection: 5 }, env, credentials: resolveCredentials('zerodha', env) });
      await broker.connect();
      expect(broker.account).toBe('ZX1234');
      expect(broker.capabilities.clientOrderId.maxLength).toBe(20);
      // Nothing was written to the config dir: environment credentials stay in the environment.
      expect(() => readFileSync(credentialsPath(env))).toThrow();
    } finally {
      await broker?.close();
      await emu.close();
    }
  });

  it('never writes a world-readable file even when the umask is permissive', () => {
    const env = tempEnv();
    const path = credentialsPath(env);
    const old = process.umask(0);
    try {
      updateBrokerCredentials('zerodha', { api_key: 'k' }, path);
    } finally {
      process.umask(old);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, '{"version":1,"brokers":{}}', { mode: 0o600 });
    expect(readCredentialsFile(path).brokers).toEqual({});
  });
});
