import type { Side } from '../../domain/side.js';

/**
 * The liquidity paper orders may take in one symbol: a sliding window one market step long. Over
 * any one step, paper orders on one side take at most the participation cap of the market's
 * volume in that step (what they took earlier in the window counts against it), plus the
 * fraction of a share left over when orders wanted more, so thin names still trade.
 */
export class LiquidityWindow {
  /** Fills of the last step per side, which count against the window's cap. */
  private taken: Record<Side, { ts: number; quantity: number }[]> = { buy: [], sell: [] };
  private carry: Record<Side, number> = { buy: 0, sell: 0 };

  /**
   * Starts a matching pass at `now`: forgets fills that left the window and says how much each
   * side may take, given the market's `volume` over the window and the participation `cap`.
   */
  available(now: number, stepMs: number, volume: number, cap: number): Record<Side, number> {
    const windowStart = now - stepMs;
    for (const side of ['buy', 'sell'] as const) {
      const kept = this.taken[side].filter((t) => t.ts > windowStart);
      this.taken[side] = kept;
    }
    const windowLeft = (side: Side) => Math.max(0, cap * volume - this.taken[side].reduce((sum, t) => sum + t.quantity, 0));
    return { buy: windowLeft('buy') + this.carry.buy, sell: windowLeft('sell') + this.carry.sell };
  }

  take(side: Side, ts: number, quantity: number): void {
    this.taken[side].push({ ts, quantity });
  }

  /** Ends the pass: a side whose orders wanted more than it had keeps what is left of a share. */
  carryOver(starved: Record<Side, boolean>, left: Record<Side, number>): void {
    this.carry = {
      buy: starved.buy ? Math.max(0, Math.min(1, left.buy)) : 0,
      sell: starved.sell ? Math.max(0, Math.min(1, left.sell)) : 0,
    };
  }
}
