import { afterEach, describe, expect, it } from 'vitest';
import { angelOneLogin } from '../../src/brokers/angelone/login.js';
import { angelSessionExpiry } from '../../src/brokers/angelone/session.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type AngelEmulator, startAngelEmulator } from '../emulators/angelone/angel-emulator.js';

let emu: AngelEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as BrokerError);

describe('Angel One session renewal', () => {
  it('renews with the TOTP secret (a fresh login), else with a refresh token (generateTokens), else says what is missing', async () => {
    emu = await startAngelEmulator({ matchIntervalMs: 0, limits: {} });
    const clock = new WallClock();
    const login = angelOneLogin({ api_url: emu.url, instruments_url: emu.masterUrl }, {}, clock);
    const base = { api_key: emu.options.apiKey, client_code: emu.options.clientCode, pin: emu.options.pin };

    const fresh = await login.renew!({ ...base, totp_secret: emu.options.totpSecret }, {});
    expect(emu.jwts.has(fresh.accessToken)).toBe(true);
    expect(fresh).toMatchObject({ userId: 'A123456', expiresAt: angelSessionExpiry(clock.now()), refreshToken: expect.stringMatching(/^refresh\./) });
    expect(fresh.accessToken).not.toMatch(/^Bearer/);

    const renewed = await login.renew!(base, { refreshToken: fresh.refreshToken, refreshExpiresAt: fresh.refreshExpiresAt });
    expect(emu.jwts.has(renewed.accessToken)).toBe(true);
    expect(emu.server.calls.at(-1)).toMatchObject({ path: '/rest/auth/angelbroking/jwt/v1/generateTokens', body: JSON.stringify({ refreshToken: fresh.refreshToken }) });

    const none = await refusal(login.renew!(base, {}));
    expect([none?.kind, none?.message]).toEqual(['auth', expect.stringMatching(/no TOTP secret is stored/)]);
    // The way out is the error's hint (printed on its own line), not repeated in the message.
    expect(none?.details.hint).toMatch(/ptexec brokers login angelone/);
    expect(none?.message).not.toMatch(/ptexec brokers login/);
    const noPin = await refusal(login.renew!({ api_key: base.api_key, client_code: base.client_code, totp_secret: emu.options.totpSecret }, {}));
    expect(noPin?.message).toMatch(/the pin is not stored/);
    const badSecret = await refusal(login.renew!({ ...base, totp_secret: 'not base32!' }, {}));
    expect([badSecret?.kind, badSecret?.hint]).toEqual(['auth', expect.stringMatching(/base32 key/)]);

    // Logout ends the session at SmartAPI.
    await login.deleteSession(base, renewed.accessToken);
    expect(emu.jwts.has(renewed.accessToken)).toBe(false);
  });

  it('a session ends at the next midnight IST', () => {
    expect(new Date(angelSessionExpiry(Date.parse('2026-12-03T10:00:00Z'))).toISOString()).toBe('2026-12-03T18:30:00.000Z');
    expect(new Date(angelSessionExpiry(Date.parse('2026-12-03T19:00:00Z'))).toISOString()).toBe('2026-12-04T18:30:00.000Z');
  });
});
