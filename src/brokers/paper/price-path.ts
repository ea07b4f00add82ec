import { normalAt } from './random.js';

/**
 * A seeded Brownian path W(n) over integer steps n ≥ 0, with unit variance per step, that can be
 * evaluated at any step in any order with the same result: W(2^36) is drawn first, then every
 * midpoint by a Brownian bridge between its neighbours, each draw a hash of (seed, symbol, node).
 * Evaluating one point costs at most 36 draws, whatever the gap since the last evaluation, so a
 * price is "evolved" from its last stored state to now in O(1) however long the process was
 * away. The descent of the last evaluation is kept, so the next step nearby costs a few draws.
 */
const LEVELS = 36;
const SPAN = 2 ** LEVELS;
const SALT_TOP = 0x70_0001;
const SALT_BRIDGE = 0x70_0002;

export class PricePath {
  private readonly top: number;
  // The cached descent, one entry per level: interval [lo, hi) and W at both ends.
  private readonly lo: number[] = [0];
  private readonly hi: number[] = [SPAN];
  private readonly wLo: number[] = [0];
  private readonly wHi: number[];
  /** Deepest level of the cached descent. */
  private depth = 0;

  constructor(
    private readonly seed: number,
    private readonly symbolId: number,
  ) {
    this.top = Math.sqrt(SPAN) * normalAt(seed, symbolId, SALT_TOP, 0);
    this.wHi = [this.top];
  }

  /** W(n); steps outside [0, 2^36] are clamped (2^36 steps of 10 ms reach past 2040). */
  at(step: number): number {
    const n = step <= 0 ? 0 : step >= SPAN ? SPAN : Math.floor(step);
    if (n === SPAN) return this.top;
    let level = this.depth;
    while (level > 0 && !(this.lo[level]! <= n && n < this.hi[level]!)) level--;
    let lo = this.lo[level]!;
    let hi = this.hi[level]!;
    let wLo = this.wLo[level]!;
    let wHi = this.wHi[level]!;
    while (hi - lo > 1 && n !== lo) {
      const mid = lo + (hi - lo) / 2;
      const wMid = (wLo + wHi) / 2 + Math.sqrt((hi - lo) / 4) * normalAt(this.seed, this.symbolId, SALT_BRIDGE, mid);
      if (n < mid) {
        hi = mid;
        wHi = wMid;
      } else {
        lo = mid;
        wLo = wMid;
      }
      level++;
      this.lo[level] = lo;
      this.hi[level] = hi;
      this.wLo[level] = wLo;
      this.wHi[level] = wHi;
    }
    this.depth = level;
    return wLo;
  }
}
