import { describe, expect, it } from 'vitest';
import { GroupLog } from '../../src/ui/group-log.js';
import { GroupViewModel } from '../../src/ui/view-model/group-view-model.js';
import { T0 } from './fixtures.js';
import { alias, householdGroup } from './group-fixtures.js';

describe('GroupLog', () => {
  it('writes each account’s fills once, led by its alias in a column of its own, keyed apart across runs', () => {
    const model = new GroupViewModel({ group: 'g1', alias });
    model.applyAll(householdGroup().events);
    const log = new GroupLog(model, () => T0 + 60_000);
    log.flush(model.snapshot(T0 + 60_000), false);
    expect(log.lines.map((l) => l.text.replace(/\d\d:\d\d:\d\d/, 'hh:mm:ss'))).toEqual([
      'main      hh:mm:ss  BUY   RELIANCE  50 @ 2505.00',
      'spouse    hh:mm:ss  SELL  INFY  100 @ 1498.50',
      'us        hh:mm:ss  BUY   AAPL  10 @ 200.10',
    ]);
    expect(new Set(log.lines.map((l) => l.key)).size).toBe(3);
    log.flush(model.snapshot(T0 + 61_000), true);
    expect(log.lines).toHaveLength(3);
  });
});
