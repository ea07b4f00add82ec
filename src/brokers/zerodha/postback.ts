import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../market/hash.js';

/**
 * Kite signs each postback with sha256(order_id + order_timestamp + api_secret) in `checksum`.
 * Returns true only when the payload carries a checksum that matches.
 */
export function verifyPostbackChecksum(payload: { order_id?: unknown; order_timestamp?: unknown; checksum?: unknown }, apiSecret: string): boolean {
  if (typeof payload.order_id !== 'string' || typeof payload.order_timestamp !== 'string' || typeof payload.checksum !== 'string') return false;
  const expected = sha256Hex(payload.order_id + payload.order_timestamp + apiSecret);
  const given = payload.checksum.toLowerCase();
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
