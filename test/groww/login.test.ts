import { afterEach, describe, expect, it } from 'vitest';
import { growwLogin } from '../../src/brokers/groww/login.js';
import { approvalChecksum } from '../../src/brokers/groww/session.js';
import { totpCode } from '../../src/brokers/groww/totp.js';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { GROWW_EMULATOR_KEYS, type GrowwEmulator, startGrowwEmulator } from '../emulators/groww/groww-emulator.js';

let emu: GrowwEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const silent = { info: () => undefined, ask: async () => '' };
const errorOf = async (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err);

describe('Groww login', () => {
  it('needs the API key; the TOTP secret and the API secret are optional (a code can be typed)', () => {
    const login = growwLogin({}, {}, new WallClock());
    expect(login.fields.filter((f) => !f.optional).map((f) => [f.name, f.label])).toEqual([['api_key', 'Trading API key']]);
    expect(login.fields.every((f) => f.secret)).toBe(true);
  });

  it('computes RFC 6238 codes and the documented checksum', () => {
    // RFC 6238 appendix B (SHA-1 secret "12345678901234567890"), last six digits.
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).toBe('287082');
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1_111_111_109_000)).toBe('081804');
    // sha256 of the secret followed by the epoch seconds, lowercase hex (Groww's "How to generate a checksum").
    expect(approvalChecksum('secret', '1719830400')).toBe('88a2717290e5a55d3180bc94e5a9258ae7df766924a6fc2f1c5cbd6e6804930a');
  });

  it('logs in with the API secret while the key is approved for the day, and says what to do when it is not', async () => {
    emu = await startGrowwEmulator({ accessToken: null });
    const login = growwLogin({ api_url: emu.url }, {}, new WallClock());
    const session = await login.logIn({ api_key: GROWW_EMULATOR_KEYS.apiKey, api_secret: GROWW_EMULATOR_KEYS.apiSecret }, silent);
    expect(session.accessToken).toBe(emu.issued[0]);
    const call = emu.server.calls.find((c) => c.path === '/v1/token/api/access')!;
    expect(call.headers.authorization).toBe(`Bearer ${GROWW_EMULATOR_KEYS.apiKey}`);
    expect(Object.keys(JSON.parse(call.body))).toEqual(['key_type', 'checksum', 'timestamp']);

    emu.approved = false;
    const refused = await errorOf(login.renew!({ api_key: GROWW_EMULATOR_KEYS.apiKey, api_secret: GROWW_EMULATOR_KEYS.apiSecret }, {}));
    expect(isBrokerError(refused, 'auth') && refused.details.hint).toMatch(/approved for today/);
    expect(String((refused as Error).message)).not.toContain(GROWW_EMULATOR_KEYS.apiSecret);

    // Nothing stored that works without a person: renewal says how to log in.
    const cannot = await errorOf(login.renew!({ api_key: GROWW_EMULATOR_KEYS.apiKey }, {}));
    expect(isBrokerError(cannot, 'auth') && cannot.details.hint).toMatch(/ptexec brokers login groww.*PTEXEC_GROWW_TOTP_SECRET/);
  });

  it('asks for the current TOTP code when no secret is stored, and refuses a code that is not six digits before calling Groww', async () => {
    emu = await startGrowwEmulator({ accessToken: null });
    const login = growwLogin({ api_url: emu.url }, {}, new WallClock());
    const asked: string[] = [];
    const code = totpCode(GROWW_EMULATOR_KEYS.totpSecret, Date.now());
    const session = await login.logIn({ api_key: GROWW_EMULATOR_KEYS.apiKey }, { info: () => undefined, ask: async (q) => (asked.push(q), `${code}\n`) });
    expect(asked).toEqual(['Current TOTP code of the Groww API key: ']);
    expect(session.accessToken).toBe(emu.issued[0]);
    const bad = await errorOf(login.logIn({ api_key: GROWW_EMULATOR_KEYS.apiKey }, { info: () => undefined, ask: async () => 'abc' }));
    expect(isBrokerError(bad, 'input')).toBe(true);
    expect(emu.server.calls.filter((c) => c.path === '/v1/token/api/access')).toHaveLength(1);
  });
});
