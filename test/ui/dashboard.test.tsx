import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { Dashboard, type DashboardControls, type DashboardExit, layout } from '../../src/ui/dashboard.js';
import type { DashboardSnapshot } from '../../src/ui/view-model/dashboard-model.js';
import { EventLog, fill, leg, partialRun, plannedRun, T0 } from './fixtures.js';
import { linesOf, settle, snapshotOf, visible } from './render-helpers.js';

const KEY = { up: '\u001b[A', down: '\u001b[B', escape: '\u001b', ctrlC: '\u0003' };

function controlsSpy(): DashboardControls & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    pause: (l?: number) => calls.push(`pause${l === undefined ? '' : ` ${l}`}`),
    resume: (l?: number) => calls.push(`resume${l === undefined ? '' : ` ${l}`}`),
    cancel: (l?: number) => calls.push(`cancel ${l}`),
    halt: (reason: string) => calls.push(`halt ${reason}`),
    detach: () => calls.push('detach'),
  };
}

function mount(snapshot: DashboardSnapshot, options: { readOnly?: boolean; inProcess?: boolean; controls?: DashboardControls; rows?: number } = {}) {
  const exits: DashboardExit[] = [];
  const instance = render(
    <Dashboard
      snapshot={snapshot}
      log={[]}
      columns={80}
      rows={options.rows ?? 24}
      color={false}
      readOnly={options.readOnly ?? false}
      inProcess={options.inProcess}
      controls={options.controls}
      onExit={(exit) => exits.push(exit)}
    />,
  );
  const press = async (key: string) => {
    instance.stdin.write(key);
    await settle();
  };
  return { ...instance, exits, press };
}

/** A run with many legs, to fill a small terminal. */
function manyLegsRun(count: number): EventLog {
  const log = new EventLog();
  const legs = Array.from({ length: count }, (_, i) => leg(i, `SYM${i}`, i % 2 ? 'sell' : 'buy', 10 * (i + 1), 100_000 + i));
  log.add('run.created', { runId: log.runId, broker: 'paper', account: 'PAPER1', tradingDate: '2026-11-20', targetHash: 'h', source: 'f', dryRun: false, options: {} }, T0);
  log.add('run.planned', { legs, skipped: [], notes: [], accountValue: 1, cashBefore: 1, currency: 'INR' }, T0);
  for (let i = 0; i < 6; i++) log.add('run.alert', { level: 'warn', source: 'broker', message: `retry ${i}` }, T0 + i);
  return log;
}

describe('Dashboard layout', () => {
  it('fits an 80×24 terminal: every line narrower than 80, the live region shorter than 24 rows', () => {
    for (const log of [new EventLog(), plannedRun(), partialRun(), manyLegsRun(40)]) {
      const { lastFrame } = mount(snapshotOf(log, T0 + 10_000));
      const lines = linesOf(lastFrame());
      expect(lines.length).toBeLessThan(24);
      for (const line of lines) expect(visible(line)).toBeLessThan(80);
    }
  });

  it('shares the rows so that the live region always stays shorter than the terminal', () => {
    for (const rows of [16, 20, 24, 40]) {
      for (const legs of [0, 3, 12, 60]) {
        const { legRows, alertRows, settlementRows } = layout(rows, legs, 10, 5);
        const legArea = legs === 0 ? 2 : 2 + Math.min(legs, legRows) + (legs > legRows ? 1 : 0);
        expect(2 + legArea + 2 + settlementRows + alertRows + 1).toBeLessThan(rows);
      }
    }
  });

  it('keeps a small terminal calm by shrinking alerts and scrolling legs', () => {
    const { lastFrame } = mount(snapshotOf(manyLegsRun(40), T0), { rows: 16 });
    const lines = linesOf(lastFrame());
    expect(lines.length).toBeLessThan(16);
    expect(lastFrame()).toContain('of 40 (↑/↓ to scroll)');
  });
});

describe('Dashboard keys', () => {
  it('moves the selection with ↑/↓ and shows the selected leg’s detail', async () => {
    const { lastFrame, press } = mount(snapshotOf(partialRun(), T0));
    expect(lastFrame()).toContain('› RELIANCE');
    await press(KEY.down);
    expect(lastFrame()).toContain('› INFY');
    expect(lastFrame()).toContain('leg 1 INFY NSE');
    await press(KEY.down);
    await press(KEY.down);
    expect(lastFrame()).toContain('› TCS');
    await press(KEY.up);
    expect(lastFrame()).toContain('› INFY');
  });

  it('refuses steering keys when read-only and sends nothing', async () => {
    const controls = controlsSpy();
    const { lastFrame, press } = mount(snapshotOf(partialRun(), T0), { readOnly: true, controls });
    for (const key of ['p', 'c', 'X']) {
      await press(key);
      expect(lastFrame()).toContain('read-only:');
      expect(lastFrame()).toContain('needs `ptexec watch --control`');
    }
    expect(controls.calls).toEqual([]);
  });

  it('p pauses a running run and resumes a paused one', async () => {
    const controls = controlsSpy();
    const running = mount(snapshotOf(partialRun(), T0), { controls });
    await running.press('p');
    expect(controls.calls).toEqual(['pause']);
    expect(running.lastFrame()).toContain('pause: requested');
    const log = partialRun();
    log.add('run.status', { status: 'paused', reason: 'pause requested' }, T0 + 10_000);
    const paused = mount(snapshotOf(log, T0), { controls });
    await paused.press('p');
    expect(controls.calls).toEqual(['pause', 'resume']);
  });

  it('c asks before cancelling the selected leg; n sends nothing, y cancels', async () => {
    const controls = controlsSpy();
    const { lastFrame, press } = mount(snapshotOf(partialRun(), T0), { controls });
    await press('c');
    expect(lastFrame()).toContain('Cancel leg 0 RELIANCE (40 unfilled)?  y/n');
    await press('n');
    expect(controls.calls).toEqual([]);
    expect(lastFrame()).toContain('nothing sent');
    await press(KEY.down);
    await press(KEY.down);
    await press('c');
    await press('y');
    expect(controls.calls).toEqual(['cancel 2']);
  });

  it('X asks before engaging the kill switch; Esc backs out', async () => {
    const controls = controlsSpy();
    const { lastFrame, press } = mount(snapshotOf(partialRun(), T0), { controls });
    await press('X');
    expect(lastFrame()).toContain('Kill switch: stop all order sending');
    await press(KEY.escape);
    await vi.waitFor(() => expect(lastFrame()).not.toContain('Kill switch: stop all order sending'), { timeout: 5_000 });
    expect(controls.calls).toEqual([]);
    await press('X');
    expect(lastFrame()).toContain('Kill switch: stop all order sending');
    await press('y');
    await vi.waitFor(() => expect(controls.calls).toEqual(['halt kill switch from the dashboard']), { timeout: 5_000 });
    await vi.waitFor(() => expect(lastFrame()).toContain('kill switch: requested'), { timeout: 5_000 });
  });

  it('shows why a control failed', async () => {
    const controls = { ...controlsSpy(), pause: () => Promise.reject(new Error('run r1 is completed, not running')) };
    const { lastFrame, press } = mount(snapshotOf(partialRun(), T0), { controls });
    await press('p');
    await vi.waitFor(() => expect(lastFrame()).toContain('pause failed: run r1 is completed, not running'), { timeout: 5_000 });
  });

  it('q detaches at once from a run in another process', async () => {
    const controls = controlsSpy();
    const { exits, press } = mount(snapshotOf(partialRun(), T0), { controls, readOnly: true });
    await press('q');
    await vi.waitFor(() => expect(exits).toEqual(['detach']), { timeout: 5_000 });
    expect(controls.calls).toEqual(['detach']);
  });

  it('q on an in-process run asks whether to stop it; r keeps it running on the live dashboard', async () => {
    const controls = controlsSpy();
    const keep = mount(snapshotOf(partialRun(), T0), { controls, inProcess: true });
    await keep.press('q');
    expect(keep.lastFrame()).toContain('s stop it · r keep it running');
    expect(keep.exits).toEqual([]);
    await keep.press('r');
    // The question goes away and the screen goes on showing the run as it trades.
    expect(keep.lastFrame()).not.toContain('keep it running');
    expect(keep.lastFrame()).toContain('p pause/resume');
    const log = partialRun();
    fill(log, 'P0C3', 't9', 'RELIANCE', 'buy', 40, 250_000, T0 + 20_000);
    keep.rerender(<Dashboard snapshot={snapshotOf(log, T0 + 20_000)} log={[]} columns={80} rows={24} color={false} readOnly={false} inProcess controls={controls} onExit={(exit) => keep.exits.push(exit)} />);
    expect(keep.lastFrame()).toMatch(/RELIANCE .*100%/);
    // Keys work again: the question was not left in charge of them.
    await keep.press('p');
    await vi.waitFor(() => expect(controls.calls).toEqual(['pause']), { timeout: 5_000 });
    expect(keep.exits).toEqual([]);
    const stop = mount(snapshotOf(partialRun(), T0), { controls: controlsSpy(), inProcess: true });
    await stop.press('q');
    await stop.press('s');
    await vi.waitFor(() => expect(stop.exits).toEqual(['stop']), { timeout: 5_000 });
    // The screen left behind says what happens, not the question.
    expect(stop.lastFrame()).not.toContain('keep it running');
    expect(stop.lastFrame()).toContain('stopping');
  });

  it('? shows the help in place of the legs and hides it again', async () => {
    const { lastFrame, press } = mount(snapshotOf(partialRun(), T0), { controls: controlsSpy() });
    await press('?');
    expect(lastFrame()).toContain('KEYS');
    expect(lastFrame()).not.toContain('› RELIANCE');
    expect(linesOf(lastFrame()).length).toBeLessThan(24);
    await press('?');
    expect(lastFrame()).toContain('› RELIANCE');
  });

  it('Ctrl-C leaves with an interrupt', async () => {
    const { exits, press } = mount(snapshotOf(partialRun(), T0), { controls: controlsSpy() });
    await press(KEY.ctrlC);
    expect(exits).toEqual(['interrupt']);
  });

  it('says the run ended in the footer', () => {
    const log = plannedRun();
    log.add('run.status', { status: 'completed' }, T0 + 1);
    expect(mount(snapshotOf(log, T0)).lastFrame()).toContain('run ended');
  });
});
