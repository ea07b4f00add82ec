import { afterEach, describe, expect, it } from 'vitest';
import { upstoxLogin } from '../../src/brokers/upstox/login.js';
import { parseAuthorizationCode, upstoxTokenExpiry } from '../../src/brokers/upstox/session.js';
import { mapUpstoxStatus } from '../../src/brokers/upstox/upstox-mapping.js';
import { UPSTOX_STATUSES } from '../../src/brokers/upstox/wire-facts.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { BrokerError, isBrokerError } from '../../src/domain/errors/broker-error.js';
import { order } from '../zerodha/harness.js';
import { type UpstoxHarness, startUpstoxHarness } from './harness.js';

let h: UpstoxHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const conversation = (answer: string) => ({ lines: [] as string[], info(line: string) { this.lines.push(line); }, ask: async () => answer });

describe('Upstox login', () => {
  it('opens the authorization dialog, exchanges the pasted code for the day\'s token, refuses bad credentials clearly, and logs out', async () => {
    h = await startUpstoxHarness({ accessToken: null });
    const { emu } = h;
    const section = { api_url: emu.url, login_url: emu.loginUrl, redirect_uri: emu.redirectUri };
    const login = upstoxLogin(section, {}, new WallClock());
    expect(login.fields.map((f) => [f.name, f.secret])).toEqual([['api_key', false], ['api_secret', true]]);
    const talk = conversation(`${emu.redirectUri}?code=${emu.issueCode()}&state=x`);
    const session = await login.logIn({ api_key: emu.apiKey, api_secret: emu.apiSecret }, talk);
    expect(talk.lines[1]).toBe(`  ${emu.loginUrl}?response_type=code&client_id=${emu.apiKey}&redirect_uri=${encodeURIComponent(emu.redirectUri)}`);
    expect(session).toMatchObject({ userId: 'UX1234', userName: 'Emulated PM' });
    expect(emu.accessTokens.has(session.accessToken)).toBe(true);
    const exchange = emu.server.calls.find((c) => c.path === '/v2/login/authorization/token')!;
    expect(exchange.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(exchange.body))).toMatchObject({ client_id: emu.apiKey, redirect_uri: emu.redirectUri, grant_type: 'authorization_code' });

    const refused = await login.logIn({ api_key: emu.apiKey, api_secret: 'wrong-secret' }, conversation(emu.issueCode())).catch((e: unknown) => e);
    expect(isBrokerError(refused, 'auth')).toBe(true);
    expect((refused as BrokerError).message).toMatch(/Upstox refused the login .*UDAPI100016 \(HTTP 401\): Invalid Credentials/);
    expect((refused as BrokerError).message).not.toContain('wrong-secret');
    expect((refused as BrokerError).hint).toMatch(/PTEXEC_UPSTOX_API_SECRET/);
    await expect(login.logIn({ api_key: emu.apiKey, api_secret: emu.apiSecret }, conversation('https://example.com/upstox/callback?error=access_denied'))).rejects.toMatchObject({ kind: 'auth' });
    await expect(login.logIn({ api_key: emu.apiKey, api_secret: emu.apiSecret }, conversation(''))).rejects.toThrow(/no authorization code given/);

    await login.deleteSession({}, session.accessToken);
    expect(emu.accessTokens.has(session.accessToken)).toBe(false);
    await expect(login.deleteSession({}, session.accessToken)).rejects.toMatchObject({ kind: 'auth' });
    // Without a configured redirect URI, the login asks for it like the key.
    expect(upstoxLogin({ api_url: emu.url }, {}, new WallClock()).fields.map((f) => f.name)).toEqual(['api_key', 'api_secret', 'redirect_uri']);
  });

  it('takes the code from a redirect URL or bare, and expires the session at 03:30 IST', () => {
    expect(parseAuthorizationCode('https://x.example/cb?code=Ab12Cd&state=1')).toBe('Ab12Cd');
    expect(parseAuthorizationCode('  Ab12Cd ')).toBe('Ab12Cd');
    expect(() => parseAuthorizationCode('https://x.example/cb?state=1')).toThrow(/redirect URL \(with \?code=…\)/);
    // 10:00 IST on 3 Dec → 03:30 IST on 4 Dec (22:00 UTC on 3 Dec); 02:00 IST → 03:30 IST the same day.
    expect(new Date(upstoxTokenExpiry(Date.UTC(2026, 11, 3, 4, 30))).toISOString()).toBe('2026-12-03T22:00:00.000Z');
    expect(new Date(upstoxTokenExpiry(Date.UTC(2026, 11, 2, 20, 30))).toISOString()).toBe('2026-12-02T22:00:00.000Z');
  });
});

describe('Upstox errors and statuses', () => {
  it('maps every documented status, partial fills, and refuses an unknown word', () => {
    expect(Object.keys(UPSTOX_STATUSES)).toHaveLength(17);
    expect(mapUpstoxStatus('open', 3, 10)).toBe('partially_filled');
    expect(mapUpstoxStatus('trigger pending', 0, 10)).toBe('accepted');
    expect(mapUpstoxStatus('cancelled after market order', 0, 10)).toBe('cancelled');
    expect(mapUpstoxStatus('modify validation pending', 0, 10)).toBe('pending_replace');
    expect(() => mapUpstoxStatus('lapsed', 0, 1)).toThrow(/unknown Upstox order status "lapsed"/);
  });

  it('an expired token is an auth error naming the fix; 429 UDAPI10005 is retried on reads; a lost placement is an unknown outcome, never re-sent', async () => {
    h = await startUpstoxHarness({ matchIntervalMs: 0 }, { settings: { timeout_ms: 300 } });
    const { broker, emu } = h;
    emu.server.faults.rateLimit(1);
    expect((await broker.funds()).currency).toBe('INR');
    expect(emu.server.calls.filter((c) => c.path === '/v2/user/get-funds-and-margin').map((c) => c.status)).toEqual([429, 200]);

    await broker.instruments([{ symbol: 'INFY' }]);
    emu.server.faults.bookThenReset();
    const lost = await broker.placeOrder(order({ clientOrderId: 'U1' })).catch((e: unknown) => e);
    expect(isBrokerError(lost, 'unknown_outcome')).toBe(true);
    expect(emu.server.calls.filter((c) => c.path === '/v3/order/place')).toHaveLength(1);
    expect(await broker.findOrderByClientId('U1')).toMatchObject({ clientOrderId: 'U1' });

    emu.server.faults.rateLimit(1);
    await expect(broker.placeOrder(order({ clientOrderId: 'U2' }))).rejects.toMatchObject({ kind: 'rate_limited', message: /UDAPI10005/ });
    emu.server.faults.malformedBodies(1);
    await expect(broker.placeOrder(order({ clientOrderId: 'U3' }))).rejects.toMatchObject({ kind: 'unknown_outcome' });
    emu.server.faults.malformedBodies(1);
    await expect(broker.positions()).rejects.toMatchObject({ kind: 'protocol', message: /GET \/v2\/portfolio\/short-term-positions: HTTP 200 with a body that is not an Upstox answer \(text\/html\)/ });

    emu.expireTokens();
    const expired = await broker.holdings().catch((e: unknown) => e);
    expect(isBrokerError(expired, 'auth')).toBe(true);
    expect((expired as BrokerError).message).toMatch(/session is no longer valid .*UDAPI100050 \(HTTP 401\)/);
    expect((expired as BrokerError).message).not.toContain('upstox-emu-token-0001');
    expect((expired as BrokerError).hint).toMatch(/ptexec brokers login upstox/);
  });
});
