import { describe, expect, it } from 'vitest';
import { LiquidityWindow } from '../../src/brokers/paper/liquidity.js';
import { priority } from '../../src/brokers/paper/matching.js';
import type { PaperOrder } from '../../src/brokers/paper/paper-records.js';

const STEP = 1_000;

describe('the liquidity window of a symbol', () => {
  it('lets each side take the cap of a step’s volume, counting what it took within the last step', () => {
    const window = new LiquidityWindow();
    // 20% of 1,000 shares per side.
    expect(window.available(10_000, STEP, 1_000, 0.2)).toEqual({ buy: 200, sell: 200 });
    window.take('buy', 10_000, 150);
    // Half a step later the buys' 150 still count; the sells took nothing.
    expect(window.available(10_500, STEP, 1_000, 0.2)).toEqual({ buy: 50, sell: 200 });
    window.take('buy', 10_500, 50);
    // A full step after the first fill it has left the window; the second has not.
    expect(window.available(11_000, STEP, 1_000, 0.2)).toEqual({ buy: 150, sell: 200 });
    expect(window.available(11_600, STEP, 1_000, 0.2)).toEqual({ buy: 200, sell: 200 });
  });

  it('carries at most one share’s fraction to the next pass, only for a side whose orders wanted more', () => {
    const window = new LiquidityWindow();
    // A thin name: 0.3 of a share per step.
    const first = window.available(0, STEP, 1.5, 0.2);
    expect(first.buy).toBeCloseTo(0.3);
    window.carryOver({ buy: true, sell: false }, first);
    const second = window.available(STEP, STEP, 1.5, 0.2);
    expect(second.buy).toBeCloseTo(0.6);
    expect(second.sell).toBeCloseTo(0.3);
    window.carryOver({ buy: true, sell: false }, { buy: 5, sell: 5 });
    expect(window.available(2 * STEP, STEP, 0, 0.2)).toEqual({ buy: 1, sell: 0 });
  });
});

describe('matching priority', () => {
  const order = (seq: number, side: 'buy' | 'sell', limitPrice?: number) => ({ brokerOrderId: `P${seq}`, seq, side, ...(limitPrice === undefined ? {} : { limitPrice }) }) as PaperOrder;

  it('puts market orders first, then the best limit (highest buy, lowest sell), then the earlier order', () => {
    const buys = [order(1, 'buy', 100), order(2, 'buy'), order(3, 'buy', 105), order(4, 'buy', 105), order(5, 'buy')];
    expect(buys.sort(priority).map((o) => o.seq)).toEqual([2, 5, 3, 4, 1]);
    const sells = [order(1, 'sell', 105), order(2, 'sell', 100), order(3, 'sell'), order(4, 'sell', 100)];
    expect(sells.sort(priority).map((o) => o.seq)).toEqual([3, 2, 4, 1]);
  });
});
