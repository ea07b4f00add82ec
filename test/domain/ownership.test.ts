import { describe, expect, it } from 'vitest';
import type { Holding, Position } from '../../src/domain/account.js';
import { ownedInstruments } from '../../src/domain/ownership.js';

const holding = (symbol: string, quantity: number, t1Quantity: number, averagePrice = 100_00): Holding => ({ symbol, exchange: 'NSE', quantity, t1Quantity, averagePrice });
const position = (symbol: string, quantity: number, product: Position['product'] = 'delivery', averagePrice = 200_00): Position => ({ symbol, exchange: 'NSE', quantity, averagePrice, product });
const quantities = (m: ReturnType<typeof ownedInstruments>) => Object.fromEntries([...m.values()].map((o) => [o.symbol, [o.quantity, o.settled, o.t1, o.today]]));

describe('what the account owns', () => {
  it('Kite-style: settled + T+1 holdings plus today\'s delivery positions; intraday positions are not owned', () => {
    const owned = ownedInstruments({
      holdings: [holding('INFY', 10, 5), holding('SBIN', 20, 0)],
      // Bought 10 INFY and 7 TCS today (CNC), sold 8 of the SBIN holding today, 4 ITC intraday (MIS).
      positions: [position('INFY', 10), position('TCS', 7), position('SBIN', -8), position('ITC', 4, 'intraday')],
      holdingsIncludeTodaysTrades: false,
    });
    expect(quantities(owned)).toEqual({ INFY: [25, 10, 5, 10], SBIN: [12, 20, 0, -8], TCS: [7, 0, 0, 7] });
    // Today's buys add their cost; today's sells leave the cost of the rest unchanged.
    expect(owned.get('NSE:INFY')!.averagePrice).toBe((15 * 100_00 + 10 * 200_00) / 25);
    expect(owned.get('NSE:SBIN')!.averagePrice).toBe(100_00);
    expect(owned.get('NSE:TCS')!.averagePrice).toBe(200_00);
  });

  it('paper-style: the holdings already hold today\'s trades, so positions add nothing', () => {
    const owned = ownedInstruments({
      holdings: [holding('INFY', 10, 15)],
      positions: [position('INFY', 10), position('TCS', 7)],
      holdingsIncludeTodaysTrades: true,
    });
    expect(quantities(owned)).toEqual({ INFY: [25, 10, 15, 0] });
  });

  it('the next day Kite shows yesterday\'s buys as T1 holdings and no positions: nothing counts twice', () => {
    const owned = ownedInstruments({ holdings: [holding('INFY', 15, 10), holding('TCS', 0, 7)], positions: [], holdingsIncludeTodaysTrades: false });
    expect(quantities(owned)).toEqual({ INFY: [25, 15, 10, 0], TCS: [7, 0, 7, 0] });
  });
});
