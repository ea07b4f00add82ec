import { sha256, sha256Hex } from '../market/hash.js';

/**
 * Run ids and client order ids are deterministic (DESIGN.md "Identity"): the same rebalance on
 * the same day gets the same run id, and a child order's id is run + leg + sequence, so after a
 * crash every order can be found at the broker by the id we gave it.
 */
export const RUN_ID_LENGTH = 10;
const RUN_ID_PATTERN = /^[a-z0-9]{4,10}$/;

export function deriveRunId(parts: { targetHash: string; broker: string; account: string; tradingDate: string; nonce?: string }): string {
  const digest = sha256([parts.targetHash, parts.broker, parts.account, parts.tradingDate, parts.nonce ?? ''].join('\u0000'));
  return base36(digest).slice(0, RUN_ID_LENGTH);
}

export function isValidRunId(id: string): boolean {
  return RUN_ID_PATTERN.test(id);
}

export function hashContent(text: string): string {
  return sha256Hex(text);
}

/** The parent order of a leg (never sent to a broker). */
export function parentOrderId(runId: string, leg: number): string {
  return `${runId}L${leg.toString(36)}`;
}

/**
 * A child order id: alphanumeric, at most 18 characters for up to 46,655 legs and children per
 * leg, so it fits Kite's 20-character tag, Groww's 8–20 reference id and FIX ClOrdID. Longer
 * than a broker allows → a stable hash of it, cut to the limit.
 */
export function childOrderId(runId: string, leg: number, seq: number, maxLength = 20): string {
  const id = `${runId}L${leg.toString(36)}C${seq.toString(36)}`;
  if (id.length <= maxLength) return id;
  return base36(sha256(id)).slice(0, maxLength);
}

function base36(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out += (n % 36n).toString(36);
    n /= 36n;
  }
  return out || '0';
}
