import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (spaces, dashes and padding ignored, any case) → bytes; throws on another character. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new RangeError('the TOTP secret is not base32 (letters A–Z and digits 2–7)');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  if (out.length === 0) throw new RangeError('the TOTP secret is empty');
  return Buffer.from(out);
}

/** RFC 4226 HOTP of a raw key at a counter, `digits` long. */
export function hotp(key: Buffer, counter: number, digits = 6, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * RFC 6238 TOTP as Angel One uses it (and authenticator apps): SHA-1, 30-second steps from the
 * Unix epoch, 6 digits, the secret in base32.
 */
export function totp(secretBase32: string, nowMs: number, options: { stepSeconds?: number; digits?: number; algorithm?: 'sha1' | 'sha256' | 'sha512'; key?: Buffer } = {}): string {
  const key = options.key ?? base32Decode(secretBase32);
  const counter = Math.floor(nowMs / 1000 / (options.stepSeconds ?? 30));
  return hotp(key, counter, options.digits ?? 6, options.algorithm ?? 'sha1');
}
