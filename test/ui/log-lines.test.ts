import { describe, expect, it } from 'vitest';
import type { AlertView, FillView } from '../../src/ui/view-model/dashboard-model.js';
import { logLines } from '../../src/ui/view-model/log-lines.js';
import { T0 } from './fixtures.js';

function fills(count: number, symbol = 'RELIANCE', side: 'buy' | 'sell' = 'buy', startSeq = 1): FillView[] {
  return Array.from({ length: count }, (_, i) => ({ seq: startSeq + i, ts: T0 + i * 10, leg: 0, symbol, side, quantity: 10, price: 250_000 + i * 10 }));
}

describe('logLines', () => {
  it('writes one line per fill when there are few, in sequence with alerts', () => {
    const alert: AlertView = { seq: 2, ts: T0 + 5, level: 'warn', source: 'broker', message: 'reconnected', leg: null };
    const lines = logLines([...fills(1), ...fills(2, 'RELIANCE', 'buy', 3)], [alert], { timeZone: 'UTC' });
    expect(lines.map((l) => l.text)).toEqual([
      '04:00:00  BUY   RELIANCE  10 @ 2500.00',
      '04:00:00  ! reconnected',
      '04:00:00  BUY   RELIANCE  10 @ 2500.00',
      '04:00:00  BUY   RELIANCE  10 @ 2500.10',
    ]);
    expect(new Set(lines.map((l) => l.key)).size).toBe(4);
  });

  it('summarises a burst per symbol and side with the exact count, shares and average price', () => {
    const burst = [...fills(100), ...fills(50, 'INFY', 'sell', 101)];
    const lines = logLines(burst, [], { timeZone: 'UTC', maxFillLines: 12 });
    expect(lines.map((l) => l.text)).toEqual(['04:00:00  BUY   RELIANCE  1,000 in 100 fills @ avg 2504.95', '04:00:00  SELL  INFY  500 in 50 fills @ avg 2502.45']);
    expect(lines[0]!.key).not.toBe(lines[1]!.key);
  });

  it('a burst over more symbols than lines keeps the first symbols and says what the rest traded in one line', () => {
    const burst = Array.from({ length: 5_000 }, (_, i) => fills(2, `S${i}`, 'buy', 1 + 2 * i)).flat();
    const lines = logLines(burst, [], { timeZone: 'UTC', maxFillLines: 12 });
    expect(lines).toHaveLength(12);
    expect(lines.slice(0, 11).map((l) => l.text.split(/ +/)[2])).toEqual(Array.from({ length: 11 }, (_, i) => `S${i}`));
    expect(lines[11]!.text).toBe('04:00:00  … 9,978 more fills in 4,989 more symbols');
    expect(new Set(lines.map((l) => l.key)).size).toBe(12);
  });

  it('gives every alert of one event its own key', () => {
    const a: AlertView = { seq: 7, ts: T0, level: 'error', source: 'risk', message: 'x', leg: null };
    const lines = logLines([], [a, { ...a, message: 'y' }]);
    expect(lines.map((l) => l.key)).toEqual(['a7-0', 'a7-1']);
  });
});
