import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Header } from '../../src/ui/components/header.js';
import { LegsTable } from '../../src/ui/components/legs-table.js';
import { Dashboard, layout } from '../../src/ui/dashboard.js';
import { EventLog, parent, plannedRun, T0 } from './fixtures.js';
import { linesOf, snapshotOf, visible } from './render-helpers.js';

const MIN = 60_000;
/** RELIANCE's 30-minute TWAP starts a second after T0 (09:30:01 IST). */
const START = T0 + 1_000;
const PAUSED_AT = START + 3 * MIN;
const RESUMED_AT = PAUSED_AT + 3 * MIN + 10_000;

/** A run paused three minutes into its TWAP, as the engine records it; resumed 3m10s later if asked. */
function pausedRun(resume: boolean): EventLog {
  const log = plannedRun();
  log.add('run.status', { status: 'running' }, START);
  parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, START);
  log.add('run.control', { action: 'pause', by: 'cli:pm' }, PAUSED_AT - 200);
  log.add('run.status', { status: 'paused', reason: 'pause requested' }, PAUSED_AT);
  log.add('leg.paused', { leg: 0, clientOrderId: 'P0' }, PAUSED_AT);
  if (resume) {
    log.add('run.control', { action: 'resume', by: 'cli:pm' }, RESUMED_AT - 200);
    log.add('leg.resumed', { leg: 0, clientOrderId: 'P0', pausedMs: RESUMED_AT - PAUSED_AT }, RESUMED_AT);
    log.add('run.status', { status: 'running', reason: 'resume requested' }, RESUMED_AT);
  }
  return log;
}

describe('paused time', () => {
  it('stops elapsed while paused and counts the pause beside it; the horizon moves with the pause, so time left stands still', () => {
    const during = snapshotOf(pausedRun(false), PAUSED_AT + 2 * MIN);
    expect(during.header).toMatchObject({
      phase: 'paused',
      elapsedMs: 3 * MIN,
      pausedMs: 2 * MIN,
      horizonShiftMs: 2 * MIN,
      endsAt: START + 30 * MIN + 2 * MIN,
      remainingMs: 27 * MIN,
    });
    expect(during.legs[0]!.status).toBe('paused');
    const later = snapshotOf(pausedRun(false), PAUSED_AT + 3 * MIN);
    expect(later.header).toMatchObject({ elapsedMs: 3 * MIN, pausedMs: 3 * MIN, remainingMs: 27 * MIN });
  });

  it('goes on from where it stopped after the resume, the pause kept as it was', () => {
    const s = snapshotOf(pausedRun(true), RESUMED_AT + MIN);
    expect(s.header).toMatchObject({
      phase: 'running',
      elapsedMs: 4 * MIN,
      pausedMs: 3 * MIN + 10_000,
      horizonShiftMs: 3 * MIN + 10_000,
      endsAt: START + 33 * MIN + 10_000,
      remainingMs: 26 * MIN,
    });
    expect(s.legs[0]!.status).toBe('working');
  });

  it('moves only the paused leg’s horizon when one leg is paused', () => {
    const log = plannedRun();
    log.add('run.status', { status: 'running' }, START);
    parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, START);
    parent(log, 2, 'TCS', 'buy', 50, 400_000, 400_000, START);
    log.add('leg.paused', { leg: 2, clientOrderId: 'P2' }, PAUSED_AT);
    const s = snapshotOf(log, PAUSED_AT + MIN);
    expect(s.header).toMatchObject({ phase: 'running', elapsedMs: 4 * MIN, pausedMs: null, horizonShiftMs: MIN, endsAt: START + 31 * MIN });
    expect(s.legs.map((l) => l.status)).toEqual(['working', 'planned', 'paused']);
  });

  it('shows paused time and what it did to the horizon in the header, within 80 columns', () => {
    const during = render(<Header header={snapshotOf(pausedRun(false), PAUSED_AT + 2 * MIN).header} width={79} color={false} />).lastFrame();
    expect(linesOf(during)).toEqual([
      'PAUSED  run r-20261120-ab12  paper · PAPER1  twap,vwap',
      'market 09:35:01 IST open  elapsed 3m00s  left 27m00s  kill switch off',
      'paused 2m00s so far · horizon +2m00s → ends 10:02:01 IST',
    ]);
    const after = render(<Header header={snapshotOf(pausedRun(true), RESUMED_AT + MIN).header} width={79} color={false} />).lastFrame();
    expect(linesOf(after)[2]).toBe('paused 3m10s · horizon +3m10s → ends 10:03:11 IST');
    // A run never paused keeps its two lines.
    const never = plannedRun();
    never.add('run.status', { status: 'running' }, START);
    expect(linesOf(render(<Header header={snapshotOf(never, START + MIN).header} width={79} color={false} />).lastFrame())).toHaveLength(2);
  });

  it('marks a paused leg in the legs table and keeps the screen within the terminal with the taller header', () => {
    const s = snapshotOf(pausedRun(false), PAUSED_AT + MIN);
    const table = render(<LegsTable legs={s.legs} selected={0} maxRows={5} width={79} color={false} />).lastFrame();
    expect(linesOf(table)[1]).toMatch(/^› RELIANCE .* paused\s*$/);
    const frame = render(<Dashboard snapshot={s} log={[]} columns={80} rows={24} color={false} readOnly={false} onExit={() => undefined} />).lastFrame();
    const lines = linesOf(frame);
    expect(lines.length).toBeLessThan(24);
    for (const line of lines) expect(visible(line)).toBeLessThan(80);
    expect(layout(24, 3, 0, 0, 3).legRows).toBe(layout(24, 3, 0, 0, 2).legRows - 1);
  });
});
