/**
 * Deterministic pseudo-randomness without hidden state: a value depends only on its inputs, so
 * a resumed order draws the same numbers as the original would have.
 */

/** A uniform number in [0, 1) from a seed and a counter (a splitmix32-style mix). */
export function uniformAt(seed: number, counter: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b9) + Math.imul(counter >>> 0, 0x85ebca6b) + 0x6d2b79f5) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  z ^= z >>> 15;
  return (z >>> 0) / 4_294_967_296;
}
