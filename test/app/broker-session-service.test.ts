import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerSessions, logIn, logOut } from '../../src/app/broker-session-service.js';
import { Factory } from '../../src/app/factory.js';
import { type KiteEmulator, startKiteEmulator } from '../emulators/kite/index.js';
import { fakeIO } from '../lib/fake-terminal.js';

// Log in, see the session, log out — in-process against the Kite emulator, with what the user
// pipes in given to the I/O object.
let emu: KiteEmulator;
let home: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  emu = await startKiteEmulator({ accessToken: null });
  home = mkdtempSync(join(tmpdir(), 'ptexec-sessions-'));
  env = { XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, PTEXEC_ZERODHA_URL: emu.url, PTEXEC_ZERODHA_LOGIN_URL: emu.loginUrl, PTEXEC_ZERODHA_API_KEY: emu.apiKey, PTEXEC_ZERODHA_API_SECRET: emu.apiSecret };
});
afterAll(async () => {
  await emu.close();
  rmSync(home, { recursive: true, force: true });
});

const factory = (input?: string) => {
  const io = fakeIO({ input, env });
  return { ...io, f: new Factory(io.io, { wallClock: () => Date.parse('2026-01-05T10:00:00Z') }) };
};

describe('broker sessions', () => {
  it('logs in with the redirect piped in, shows the session, and logs out revoking the token', async () => {
    const zerodha = (sessions: { brokers: { broker: string }[] }) => sessions.brokers.find((b) => b.broker === 'zerodha');
    const before = brokerSessions(factory().f);
    // Every broker with a login is listed; none is logged in yet.
    expect(before.brokers.every((b) => !b.logged_in)).toBe(true);
    expect(zerodha(before)).toEqual(expect.objectContaining({ broker: 'zerodha', logged_in: false, api_key_source: 'env' }));

    const login = factory(`https://example.com/cb?status=success&request_token=${emu.state.issueRequestToken()}\n`);
    const result = await logIn(login.f, 'zerodha');
    expect(result).toMatchObject({ broker: 'zerodha', user_id: 'ZX1234', credentials_file: join(home, 'ptexec', 'credentials.json') });
    expect(login.stderr.text()).toContain(`${emu.loginUrl}?api_key=${emu.apiKey}&v=3`);
    expect(login.stderr.text()).toMatch(/logged in to zerodha as ZX1234/);
    const token = (JSON.parse(readFileSync(join(home, 'ptexec', 'credentials.json'), 'utf8')) as { brokers: { zerodha: { access_token: string } } }).brokers.zerodha.access_token;
    expect(emu.state.accessTokens.has(token)).toBe(true);
    expect(zerodha(brokerSessions(factory().f))).toMatchObject({ logged_in: true, user_id: 'ZX1234', token_source: 'file' });

    const logout = factory();
    expect(await logOut(logout.f)).toEqual({ brokers: [{ broker: 'zerodha', revoked: true, removed: true }] });
    expect(emu.state.accessTokens.has(token)).toBe(false);
    expect(zerodha(brokerSessions(factory().f))).toMatchObject({ logged_in: false });
  });

  it('counts Alpaca as logged in with its key pair alone, and IBKR with the gateway session its login recorded', () => {
    const row = (extra: NodeJS.ProcessEnv, broker: string) => {
      const io = fakeIO({ env: { XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, ...extra } });
      return brokerSessions(new Factory(io.io)).brokers.find((b) => b.broker === broker);
    };
    expect(row({}, 'alpaca')).toMatchObject({ logged_in: false });
    expect(row({ PTEXEC_ALPACA_API_KEY: 'PKTEST' }, 'alpaca')).toMatchObject({ logged_in: false });
    expect(row({ PTEXEC_ALPACA_API_KEY: 'PKTEST', PTEXEC_ALPACA_API_SECRET: 'not-shown' }, 'alpaca')).toMatchObject({ logged_in: true, api_key_source: 'env', api_secret_source: 'env' });
    expect(row({}, 'ibkr')).toMatchObject({ logged_in: false });
    expect(row({ PTEXEC_IBKR_ACCESS_TOKEN: 'client-portal-gateway' }, 'ibkr')).toMatchObject({ logged_in: true });
    // The rule of the others is unchanged: a key without a token is not a session.
    expect(row({ PTEXEC_UPSTOX_API_KEY: 'k' }, 'upstox')).toMatchObject({ logged_in: false });
  });

  it('refuses empty input and a missing key without a terminal to ask on', async () => {
    await expect(logIn(factory('').f, 'zerodha')).rejects.toThrow(/no request token given/);
    const io = fakeIO({ env: { XDG_CONFIG_HOME: home, XDG_DATA_HOME: home } });
    await expect(logIn(new Factory(io.io), 'zerodha')).rejects.toThrow(/no Zerodha Kite Connect API secret: set PTEXEC_ZERODHA_API_SECRET, or run this on a terminal to be asked/);
  });
});

describe('renewing a session without a person', () => {
  it('renews an expired session with the stored values before the broker opens, and stores the new one', async () => {
    const { registerBroker } = await import('../../src/brokers/registry.js');
    const { updateBrokerCredentials, readCredentialsFile } = await import('../../src/lib/credentials.js');
    const seen: { values?: Record<string, string>; refreshToken?: string; opened?: string }[] = [];
    registerBroker('renewing', {
      traits: { simulatedMarket: false, acceptsSpeed: false, debitsCharges: true },
      create: async (deps) => {
        seen.push({ opened: deps.credentials?.accessToken });
        return { connect: async () => {}, close: async () => {} } as never;
      },
      login: async () => ({
        labels: { broker: 'Renewing', keysWhere: 'nowhere' },
        fields: [
          { name: 'api_key', label: 'API key', secret: false },
          { name: 'pin', label: 'PIN', secret: true },
        ],
        logIn: async () => {
          throw new Error('not asked');
        },
        renew: async (values, session) => {
          seen.push({ values, refreshToken: session.refreshToken });
          return { accessToken: 'fresh-token', refreshToken: 'next-refresh', userId: 'U1', loginTime: Date.parse('2026-01-05T10:00:00Z'), expiresAt: Date.parse('2026-01-06T00:00:00Z') };
        },
        deleteSession: async () => {},
      }),
    });
    const home2 = mkdtempSync(join(tmpdir(), 'ptexec-renew-'));
    const renewEnv = { XDG_CONFIG_HOME: home2, XDG_DATA_HOME: home2, PTEXEC_RENEWING_PIN: '4321' };
    const path = join(home2, 'ptexec', 'credentials.json');
    updateBrokerCredentials('renewing', { api_key: 'k1', access_token: 'stale', refresh_token: 'r1', expires_at: '2026-01-05T00:00:00.000Z' }, path);
    const io = fakeIO({ env: renewEnv });
    const f = new Factory(io.io, { wallClock: () => Date.parse('2026-01-05T10:00:00Z') });
    await f.broker('renewing');
    // The PIN came from the environment and the refresh token from the file; the adapter opened with the new token.
    expect(seen).toEqual([{ values: { api_key: 'k1', access_token: 'stale', refresh_token: 'r1', pin: '4321' }, refreshToken: 'r1' }, { opened: 'fresh-token' }]);
    expect(readCredentialsFile(path).brokers.renewing).toMatchObject({ access_token: 'fresh-token', refresh_token: 'next-refresh', expires_at: '2026-01-06T00:00:00.000Z' });
    expect(io.stderr.text()).toMatch(/renewing: the session was renewed without a login/);
    expect(io.stderr.text()).not.toMatch(/4321/);
    rmSync(home2, { recursive: true, force: true });
  });
});

describe('a broker never logged in', () => {
  it('is not "renewed" without what a renewal needs: the adapter says it is not logged in; with it, ptexec logs in by itself', async () => {
    const { registerBroker } = await import('../../src/brokers/registry.js');
    const renewals: Record<string, string>[] = [];
    const opened: (string | undefined)[] = [];
    registerBroker('fresh', {
      traits: { simulatedMarket: false, acceptsSpeed: false, debitsCharges: true },
      create: async (deps) => {
        opened.push(deps.credentials?.accessToken);
        if (!deps.credentials?.accessToken) throw new Error('not logged in to Fresh');
        return { connect: async () => {}, close: async () => {} } as never;
      },
      login: async () => ({
        labels: { broker: 'Fresh', keysWhere: 'nowhere' },
        fields: [
          { name: 'api_key', label: 'API key', secret: false },
          { name: 'totp_secret', label: 'TOTP secret', secret: true, optional: true },
        ],
        logIn: async () => {
          throw new Error('not asked');
        },
        renew: async (values) => {
          renewals.push(values);
          if (!values.totp_secret) throw new Error('the Fresh session expired and cannot be renewed');
          return { accessToken: 'first-token', userId: 'U1', loginTime: Date.parse('2026-01-05T10:00:00Z'), expiresAt: Date.parse('2026-01-06T00:00:00Z') };
        },
        deleteSession: async () => {},
      }),
    });
    const home3 = mkdtempSync(join(tmpdir(), 'ptexec-fresh-'));
    const without = fakeIO({ env: { XDG_CONFIG_HOME: home3, XDG_DATA_HOME: home3 } });
    await expect(new Factory(without.io).broker('fresh')).rejects.toThrow('not logged in to Fresh');
    expect(renewals).toEqual([]);
    const withSecret = fakeIO({ env: { XDG_CONFIG_HOME: home3, XDG_DATA_HOME: home3, PTEXEC_FRESH_API_KEY: 'k', PTEXEC_FRESH_TOTP_SECRET: 'S3CRET' } });
    await new Factory(withSecret.io).broker('fresh');
    expect(opened).toEqual([undefined, 'first-token']);
    expect(renewals).toHaveLength(1);
    rmSync(home3, { recursive: true, force: true });
  });
});
