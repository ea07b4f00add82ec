import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPostbackChecksum } from '../../src/brokers/zerodha/postback.js';
import { createKiteSession, deleteKiteSession, kiteLoginUrl, kiteTokenExpiry, openKiteSessionClient, parseRequestToken, sessionChecksum } from '../../src/brokers/zerodha/session.js';
import type { BrokerError } from '../../src/domain/errors/broker-error.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type KiteEmulator, startKiteEmulator } from '../emulators/kite/index.js';

let emu: KiteEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('Kite login pieces', () => {
  it('builds the login URL with the API key and v=3', () => {
    expect(kiteLoginUrl('https://kite.zerodha.com/connect/login', 'abc123')).toBe('https://kite.zerodha.com/connect/login?api_key=abc123&v=3');
  });

  it('accepts the redirect URL or the bare token', () => {
    expect(parseRequestToken('https://example.com/cb?action=login&type=login&status=success&request_token=Ab12Cd34Ef')).toBe('Ab12Cd34Ef');
    expect(parseRequestToken('  Ab12Cd34Ef\n')).toBe('Ab12Cd34Ef');
    expect(() => parseRequestToken('https://example.com/cb?status=cancelled&request_token=Ab12Cd34Ef')).toThrow(/did not succeed/);
    expect(() => parseRequestToken('not a token!')).toThrow(/redirect URL/);
  });

  it('computes the checksum as sha256(api_key + request_token + api_secret)', () => {
    expect(sessionChecksum('key', 'req', 'sec')).toBe(createHash('sha256').update('keyreqsec').digest('hex'));
  });

  it('expires tokens at the next 06:00 IST', () => {
    // 2026-01-05 10:00 IST → 2026-01-06 06:00 IST (00:30 UTC).
    expect(kiteTokenExpiry(Date.UTC(2026, 0, 5, 4, 30))).toBe(Date.UTC(2026, 0, 6, 0, 30));
    // 2026-01-06 03:00 IST (still the night) → 06:00 IST the same day.
    expect(kiteTokenExpiry(Date.UTC(2026, 0, 5, 21, 30))).toBe(Date.UTC(2026, 0, 6, 0, 30));
  });

  it('validates postback checksums', () => {
    const payload = { order_id: '2611220000001', order_timestamp: '2026-01-05 09:15:00' };
    const checksum = createHash('sha256').update(`${payload.order_id}${payload.order_timestamp}secret`).digest('hex');
    expect(verifyPostbackChecksum({ ...payload, checksum }, 'secret')).toBe(true);
    expect(verifyPostbackChecksum({ ...payload, checksum }, 'other')).toBe(false);
    expect(verifyPostbackChecksum({ ...payload, checksum: 'short' }, 'secret')).toBe(false);
    expect(verifyPostbackChecksum(payload, 'secret')).toBe(false);
  });
});

describe('session exchange against the emulator', () => {
  it('exchanges a request token, uses the session, and logs out', async () => {
    emu = await startKiteEmulator({ accessToken: null });
    const { client, close } = openKiteSessionClient({ api_url: emu.url, timeout_ms: 2000 }, emu.apiKey, new WallClock());
    const requestToken = emu.state.issueRequestToken();
    const session = await createKiteSession(client, requestToken, emu.apiSecret, Date.now());
    expect(session.userId).toBe('ZX1234');
    expect(emu.state.accessTokens.has(session.accessToken)).toBe(true);
    const sent = emu.state.requests.find((r) => r.path === '/session/token')!;
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({ api_key: emu.apiKey, request_token: requestToken, checksum: sessionChecksum(emu.apiKey, requestToken, emu.apiSecret) });
    expect(sent.headers['x-kite-version']).toBe('3');
    expect(session.expiresAt).toBe(kiteTokenExpiry(session.loginTime));
    // A request token is single-use.
    const again = await createKiteSession(client, requestToken, emu.apiSecret, Date.now()).catch((e: unknown) => e);
    expect(again).toMatchObject({ kind: 'auth' });
    expect((again as Error).message).not.toContain(emu.apiSecret);
    expect((again as Error).message).not.toContain(requestToken);
    await deleteKiteSession(client, session.accessToken);
    expect(emu.state.accessTokens.has(session.accessToken)).toBe(false);
    await close();
  });

  it('refuses a wrong secret (bad checksum)', async () => {
    emu = await startKiteEmulator({ accessToken: null });
    const { client, close } = openKiteSessionClient({ api_url: emu.url, timeout_ms: 2000 }, emu.apiKey, new WallClock());
    const err = (await createKiteSession(client, emu.state.issueRequestToken(), 'wrongsecret', Date.now()).catch((e: unknown) => e)) as BrokerError;
    expect(err).toMatchObject({ name: 'BrokerError', kind: 'auth', details: { status: 403, code: 'checksum' } });
    expect(err.message).toBe('the API secret does not match the API key: Kite refused the login checksum (POST /session/token: TokenException (HTTP 403): Invalid `checksum`.)');
    expect(err.details.hint).toBe('check PTEXEC_ZERODHA_API_SECRET, or the api_secret in the credentials file, against your Kite Connect app (developers.kite.trade), then log in again');
    expect(err.message).not.toContain('wrongsecret');
    // A request token used twice is the token's fault, not the session's.
    const token = emu.state.issueRequestToken();
    await createKiteSession(client, token, emu.apiSecret, Date.now());
    const reused = (await createKiteSession(client, token, emu.apiSecret, Date.now()).catch((e: unknown) => e)) as BrokerError;
    expect(reused).toMatchObject({ kind: 'auth', details: { code: 'TokenException' } });
    expect(reused.message).toBe('Kite refused the request token (POST /session/token: TokenException (HTTP 403): Token is invalid or has expired.)');
    expect(reused.details.hint).toBe('a request token works once and for a few minutes: open the login URL again and paste the new redirect URL');
    await close();
  });
});
