import { describe, expect, it } from 'vitest';
import { ProgressLines } from '../../src/ui/progress-lines.js';
import { child, fill, parent, partialRun, plannedRun, simulatedRun, T0 } from './fixtures.js';

function linesFor(events: Parameters<ProgressLines['apply']>[0]): string[] {
  const lines: string[] = [];
  new ProgressLines({ write: (l) => lines.push(l), timeZone: 'Asia/Kolkata' }).apply(events);
  return lines;
}

describe('ProgressLines', () => {
  it('writes one line per meaningful step, not one per fill', () => {
    const log = partialRun();
    log.add('run.status', { status: 'incomplete', reason: 'horizon ended' }, T0 + 60_000);
    expect(linesFor(log.events)).toEqual([
      '09:30:00 run r-20261120-ab12 created: paper account PAPER1',
      '09:30:00 planned 3 legs (2 buy, 1 sell)',
      '09:30:01 run running',
      '09:30:01 leg 0 RELIANCE started: buy 100 with twap, arrival 2500.00',
      '09:30:04 leg 0 RELIANCE 60% filled (60/100) avg 2501.67, slippage +6.7 bps',
      '09:30:01 leg 1 INFY started: sell 200 with twap, arrival 1500.00',
      '09:30:06 leg 1 INFY 100% filled (200/200) avg 1498.50, slippage +10.0 bps',
      '09:30:06 leg 1 INFY complete: 200/200 avg 1498.50, slippage +10.0 bps',
      '09:30:08 error: RELIANCE child order rejected: price outside the circuit band',
      '09:31:00 run incomplete (horizon ended): filled 260/350 (74%), traded ₹4,49,800.00, shortfall +6.4 bps (₹480.00), charges ₹0.00',
    ]);
  });

  it('gives a simulated run\'s market time beside the wall-clock time, and says it is simulated', () => {
    const lines = linesFor(simulatedRun().events);
    expect(lines.slice(0, 4)).toEqual([
      '09:30:00 run r-20261120-ab12 created: paper account PAPER1; market clock simulated ×60',
      '09:30:00 [market 09:30:00 IST] planned 3 legs (2 buy, 1 sell)',
      '09:30:01 [market 09:31:00 IST] run running',
      '09:30:01 [market 09:31:00 IST] leg 0 RELIANCE started: buy 100 with twap, arrival 2500.00',
    ]);
    expect(lines.at(-1)).toBe('09:30:08 [market 09:38:00 IST] error: RELIANCE child order rejected: price outside the circuit band');
  });

  it('reports each quarter milestone once, however many fills cross it', () => {
    const log = plannedRun();
    const p = parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, T0);
    const c = child(log, p, 1, 0, 'RELIANCE', 'buy', 100, T0);
    for (let i = 0; i < 100; i++) fill(log, c, `t${i}`, 'RELIANCE', 'buy', 1, 250_000, T0 + 1_000 + i);
    const milestones = linesFor(log.events).filter((l) => l.includes('% filled'));
    expect(milestones.map((l) => l.split(' ')[4])).toEqual(['25%', '50%', '75%']);
  });

  it('applies events given in several calls, each once', () => {
    const log = partialRun();
    const lines: string[] = [];
    const progress = new ProgressLines({ write: (l) => lines.push(l), timeZone: 'UTC' });
    progress.apply(log.events.slice(0, 5));
    progress.apply(log.events);
    progress.apply(log.events.at(-1)!);
    expect(lines).toHaveLength(9);
  });
});
