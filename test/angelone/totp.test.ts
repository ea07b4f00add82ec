import { describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/brokers/angelone/totp.js';

/** RFC 6238 appendix B: the seed is ASCII "1234567890…", the codes 8 digits. */
const SHA1_SEED = Buffer.from('12345678901234567890');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC test vectors for SHA-1, from the base32 form of the seed', () => {
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(SHA1_SEED);
    for (const [seconds, code] of VECTORS) expect(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', seconds * 1000, { digits: 8 })).toBe(code);
  });

  it('matches the RFC vectors for SHA-256 and SHA-512 too (the HOTP core is shared)', () => {
    expect(totp('', 59_000, { digits: 8, algorithm: 'sha256', key: Buffer.from('12345678901234567890123456789012') })).toBe('46119246');
    expect(totp('', 59_000, { digits: 8, algorithm: 'sha512', key: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234') })).toBe('90693936');
  });

  it('gives Angel One\'s 6 digits, the same code through a 30-second step, lower-case and spaced secrets alike', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totp(secret, 59_000)).toBe('287082');
    expect(totp(secret, 30_000)).toBe(totp(secret, 59_999));
    expect(totp(secret, 60_000)).not.toBe(totp(secret, 59_999));
    expect(totp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 59_000)).toBe('287082');
    expect(() => base32Decode('NOT-BASE32-1!')).toThrow(/not base32/);
  });
});
