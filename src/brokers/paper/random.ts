/**
 * Seeded randomness for the paper market. Two kinds: a stateless hash of integers (so a price
 * path or a volume bin can be evaluated at any point, in any order, with the same result) and a
 * small sequential generator for fault injection (one draw per call, in call order).
 */

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hash of up to four integers (each may exceed 32 bits: the high part is mixed in too). */
export function hashInts(a: number, b: number, c: number, d: number): number {
  let h = 0x2545f491;
  h = mix(h, a | 0);
  h = mix(h, b | 0);
  h = mix(h, c | 0);
  h = mix(h, Math.floor(d / 4294967296) | 0);
  h = mix(h, d | 0);
  return finish(h ^ 20);
}

/**
 * Standard normal from a uniform in (0,1) by Acklam's rational approximation of the inverse
 * normal CDF (relative error below 1.2e-9): one hash per draw, no trigonometry.
 */
const A0 = -39.69683028665376, A1 = 220.9460984245205, A2 = -275.9285104469687, A3 = 138.357751867269, A4 = -30.66479806614716, A5 = 2.506628277459239;
const B0 = -54.47609879822406, B1 = 161.5858368580409, B2 = -155.6989798598866, B3 = 66.80131188771972, B4 = -13.28068155288572;
const C0 = -0.007784894002430293, C1 = -0.3223964580411365, C2 = -2.400758277161838, C3 = -2.549732539343734, C4 = 4.374664141464968, C5 = 2.938163982698783;
const D0 = 0.007784695709041462, D1 = 0.3224671290700398, D2 = 2.445134137142996, D3 = 3.754408661907416;

export function inverseNormal(p: number): number {
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C0 * q + C1) * q + C2) * q + C3) * q + C4) * q + C5) / ((((D0 * q + D1) * q + D2) * q + D3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((C0 * q + C1) * q + C2) * q + C3) * q + C4) * q + C5) / ((((D0 * q + D1) * q + D2) * q + D3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (((((A0 * r + A1) * r + A2) * r + A3) * r + A4) * r + A5) * q / (((((B0 * r + B1) * r + B2) * r + B3) * r + B4) * r + 1);
}

/** A standard normal that is a pure function of its four integer coordinates. */
export function normalAt(a: number, b: number, c: number, d: number): number {
  return inverseNormal((hashInts(a, b, c, d) + 0.5) / 4294967296);
}

/** Sequential seeded generator (mulberry32): uniform in [0, 1). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability `p` (always draws, so the sequence does not depend on `p`). */
  chance(p: number): boolean {
    return this.next() < p;
  }
}
