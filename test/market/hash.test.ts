import { describe, expect, it } from 'vitest';
import { childOrderId, deriveRunId, hashContent } from '../../src/engine/identity.js';
import { fnv1a32, sha256Hex } from '../../src/market/hash.js';
import { intradayVolumeProfile } from '../../src/market/volume-profile.js';

describe('hashing', () => {
  it('computes the standard digests', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('keeps the ids and seeds already recorded in databases', () => {
    // Run ids, shortened client order ids and the paper market's symbol seeds are stored or
    // replayed: the values the previous implementations gave must not move.
    const targetHash = hashContent('symbol,weight\nINFY,0.5\n');
    expect(deriveRunId({ targetHash, broker: 'paper', account: 'DEFAULT', tradingDate: '2026-03-09' })).toBe('rahbkzpevx');
    expect(childOrderId('abcdefghij', 123456, 987654, 12)).toBe('altgddqjcmer');
    expect([fnv1a32('NSE:INFY'), fnv1a32('run1-leg0')]).toEqual([2190634935, 1631678320]);
  });
});

describe('volume profiles', () => {
  it("keeps the paper market's intraday profile", () => {
    expect(intradayVolumeProfile(7)).toEqual([0.22434172027678664, 0.1231711522627438, 0.10428124979112624, 0.10038535082713546, 0.10319817927467301, 0.11658348471950397, 0.22803886284803088]);
  });
});
