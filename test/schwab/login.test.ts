import { afterEach, describe, expect, it } from 'vitest';
import { schwabUrlsAt } from '../../src/brokers/schwab/config.js';
import { schwabLogin } from '../../src/brokers/schwab/login.js';
import { parseAuthorizationCode } from '../../src/brokers/schwab/session.js';
import { BrokerError, isBrokerError } from '../../src/domain/errors/broker-error.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { SCHWAB_EMULATOR_KEYS, type SchwabEmulator, startSchwabEmulator } from '../emulators/schwab/index.js';

let emu: SchwabEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const conversation = (answer: string) => ({ lines: [] as string[], info(line: string) { this.lines.push(line); }, ask: async () => answer });
const app = { api_key: SCHWAB_EMULATOR_KEYS.apiKey, api_secret: SCHWAB_EMULATOR_KEYS.apiSecret };

describe('Schwab login', () => {
  it('opens the authorization page, exchanges the pasted callback URL for tokens with HTTP Basic, finds the account, and refuses bad credentials clearly', async () => {
    emu = await startSchwabEmulator({ accessToken: null, holdings: [] });
    const section = { ...schwabUrlsAt(emu.url), redirect_uri: SCHWAB_EMULATOR_KEYS.redirectUri };
    const login = schwabLogin(section, {}, new WallClock());
    expect(login.fields.map((f) => [f.name, f.secret])).toEqual([['api_key', false], ['api_secret', true]]);
    const before = Date.now();
    const talk = conversation(`${SCHWAB_EMULATOR_KEYS.redirectUri}/?code=${encodeURIComponent(emu.issueCode())}&session=4f1c`);
    const session = await login.logIn(app, talk);
    expect(talk.lines[1]).toBe(`  ${emu.url}/v1/oauth/authorize?response_type=code&client_id=${SCHWAB_EMULATOR_KEYS.apiKey}&redirect_uri=${encodeURIComponent(SCHWAB_EMULATOR_KEYS.redirectUri)}`);
    expect(session).toMatchObject({ userId: SCHWAB_EMULATOR_KEYS.accountNumber, refreshToken: SCHWAB_EMULATOR_KEYS.refreshToken });
    expect(emu.tokens.has(session.accessToken)).toBe(true);
    // 30 minutes for the access token, seven days for the refresh token.
    expect(session.expiresAt - before).toBeGreaterThanOrEqual(1_800_000 - 1_000);
    expect(session.expiresAt - before).toBeLessThanOrEqual(1_800_000 + 5_000);
    expect(session.refreshExpiresAt! - session.loginTime).toBe(7 * 86_400_000);
    const exchange = emu.server.calls.find((c) => c.path === '/v1/oauth/token')!;
    expect(exchange.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(exchange.headers.authorization).toBe(`Basic ${Buffer.from(`${SCHWAB_EMULATOR_KEYS.apiKey}:${SCHWAB_EMULATOR_KEYS.apiSecret}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(exchange.body))).toEqual({ grant_type: 'authorization_code', code: expect.stringMatching(/@$/), redirect_uri: SCHWAB_EMULATOR_KEYS.redirectUri });

    const refused = await login.logIn({ ...app, api_secret: 'WrongSecret99' }, conversation(emu.issueCode())).catch((e: unknown) => e);
    expect(isBrokerError(refused, 'auth')).toBe(true);
    expect((refused as BrokerError).message).toMatch(/Schwab refused the login \(POST \/v1\/oauth\/token: HTTP 401: invalid_client: Client authentication failed\)/);
    expect((refused as BrokerError).message).not.toContain('WrongSecret99');
    expect((refused as BrokerError).hint).toMatch(/PTEXEC_SCHWAB_API_SECRET/);
    // A code works once.
    const code = emu.issueCode();
    await login.logIn(app, conversation(code));
    await expect(login.logIn(app, conversation(code))).rejects.toMatchObject({ kind: 'auth', message: expect.stringMatching(/invalid_grant/) });
    await expect(login.logIn(app, conversation(`${SCHWAB_EMULATOR_KEYS.redirectUri}/?error=access_denied`))).rejects.toMatchObject({ kind: 'auth' });
    await expect(login.logIn(app, conversation(''))).rejects.toThrow(/no authorization code given/);
    // Without a configured callback URL, the login asks for it like the key.
    expect(schwabLogin(schwabUrlsAt(emu.url), {}, new WallClock()).fields.map((f) => f.name)).toEqual(['api_key', 'api_secret', 'redirect_uri']);
  });

  it('renews with the refresh token while it lasts, keeping its expiry; after seven days, or refused, it asks for a browser login', async () => {
    emu = await startSchwabEmulator({ accessToken: null, holdings: [] });
    const login = schwabLogin(schwabUrlsAt(emu.url), {}, new WallClock());
    const refreshExpiresAt = Date.now() + 3 * 86_400_000;
    const renewed = await login.renew!({ ...app, user_id: '12345678' }, { refreshToken: SCHWAB_EMULATOR_KEYS.refreshToken, refreshExpiresAt });
    expect(renewed).toMatchObject({ userId: '12345678', refreshToken: SCHWAB_EMULATOR_KEYS.refreshToken, refreshExpiresAt });
    expect(emu.tokens.has(renewed.accessToken)).toBe(true);

    const expired = await login.renew!(app, { refreshToken: SCHWAB_EMULATOR_KEYS.refreshToken, refreshExpiresAt: Date.now() - 1 }).catch((e: unknown) => e);
    expect(expired).toMatchObject({ kind: 'auth', details: { code: 'refresh_expired' } });
    expect((expired as BrokerError).message).toMatch(/the Schwab session expired and its refresh token expired at .* \(Schwab refresh tokens last seven days from the browser login\)/);
    expect((expired as BrokerError).hint).toMatch(/ptexec brokers login schwab/);
    emu.refreshTokens.clear();
    await expect(login.renew!(app, { refreshToken: SCHWAB_EMULATOR_KEYS.refreshToken })).rejects.toMatchObject({ kind: 'auth', details: { code: 'refresh_refused' } });
    await expect(login.renew!({ api_key: app.api_key }, { refreshToken: 'x' })).rejects.toMatchObject({ details: { code: 'no_app_secret' } });
  });

  it('takes the code from the callback URL (decoding the trailing %40) or bare', () => {
    expect(parseAuthorizationCode('https://127.0.0.1:8182/?code=C0.b2F1dGgy.BCJ9qoH9%40&session=46b9')).toBe('C0.b2F1dGgy.BCJ9qoH9@');
    expect(parseAuthorizationCode('C0.b2F1dGgy.BCJ9qoH9%40')).toBe('C0.b2F1dGgy.BCJ9qoH9@');
    expect(parseAuthorizationCode(' C0.b2F1dGgy.BCJ9qoH9@ ')).toBe('C0.b2F1dGgy.BCJ9qoH9@');
    expect(() => parseAuthorizationCode('not a code!')).toThrow(BrokerError);
  });
});
