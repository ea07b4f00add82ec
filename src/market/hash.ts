import type { Hash } from 'node:crypto';
import { createRequire } from 'node:module';

/** node:crypto, loaded on the first SHA-256: most commands only need FNV-1a (a paper market's seeds), and loading crypto costs a start a few milliseconds. */
let crypto: typeof import('node:crypto') | undefined;
function createHash(algorithm: 'sha256'): Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash(algorithm);
}

/**
 * The hashes ptexec uses: SHA-256 where a hash is an identity or a signature (run ids, target
 * content, broker checksums), FNV-1a where it only turns a name into a stable seed.
 */

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Lowercase hex SHA-256 of a text (UTF-8). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** FNV-1a, 32 bits, of a string's UTF-16 code units: `NSE:INFY` or a parent order id → a seed. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
