import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { DashboardControls, DashboardExit } from '../../src/ui/dashboard.js';
import { GroupDashboard } from '../../src/ui/group-dashboard.js';
import { GroupViewModel } from '../../src/ui/view-model/group-view-model.js';
import { EventLog, T0 } from './fixtures.js';
import { alias, endRun, householdGroup } from './group-fixtures.js';
import { linesOf, settle, visible } from './render-helpers.js';

const KEY = { tab: '\t', shiftTab: '\u001b[Z', right: '\u001b[C', left: '\u001b[D' };

function mount(log = householdGroup(), options: { controls?: (runId: string) => DashboardControls; inProcess?: boolean; rows?: number } = {}) {
  const model = new GroupViewModel({ group: 'g1', alias });
  model.applyAll(log.events);
  const exits: DashboardExit[] = [];
  const instance = render(<GroupDashboard group={model.snapshot(T0 + 60_000)} log={[]} columns={80} rows={options.rows ?? 24} color={false} readOnly={!options.controls} inProcess={options.inProcess} controlsFor={options.controls} onExit={(e) => exits.push(e)} />);
  const press = async (key: string) => {
    instance.stdin.write(key);
    await settle();
  };
  return { ...instance, exits, press };
}

const headerOf = (frame: string | undefined) => linesOf(frame).find((l) => /^(RUNNING|COMPLETED|WAITING)/.test(l));

describe('GroupDashboard', () => {
  it('shows every account above the first account’s own dashboard, in 80×24, and says how to choose another', () => {
    const { lastFrame } = mount();
    const lines = linesOf(lastFrame());
    expect(lines.length).toBeLessThan(24);
    for (const line of lines) expect(visible(line)).toBeLessThan(80);
    expect(lines[0]).toMatch(/^GROUP g1 {2}3 runs/);
    expect(lines.filter((l) => /^Σ (INR|USD)/.test(l))).toHaveLength(2);
    expect(headerOf(lastFrame())).toBe('RUNNING  run run-main  paper · MAIN  market');
    expect(lines.at(-1)).toMatch(/^⇥ account {2}↑↓ select/);
  });

  it('shows the selected leg’s routing why below the legs', () => {
    const { lastFrame } = mount();
    expect(lastFrame()).toContain('  routed main (paper) — holds the cash for RELIANCE');
  });

  it('Tab and → move to the next account, Shift-Tab and ← back, wrapping around', async () => {
    const { lastFrame, press } = mount();
    await press(KEY.tab);
    expect(headerOf(lastFrame())).toContain('run run-spouse  paper · SPOUSE');
    expect(lastFrame()).toContain('routed spouse (paper) — holds the cash for INFY');
    await press(KEY.right);
    expect(headerOf(lastFrame())).toContain('run run-us  alpaca · US1');
    await press(KEY.tab);
    expect(headerOf(lastFrame())).toContain('run run-main');
    await press(KEY.left);
    expect(headerOf(lastFrame())).toContain('run run-us');
    await press(KEY.shiftTab);
    expect(headerOf(lastFrame())).toContain('run run-spouse');
  });

  it('steers the selected account’s run with the keys', async () => {
    const calls: string[] = [];
    const controls = (runId: string): DashboardControls => ({ pause: () => calls.push(`pause ${runId}`), resume: () => calls.push(`resume ${runId}`), cancel: (l) => calls.push(`cancel ${runId} ${l}`), halt: () => calls.push('halt'), detach: () => undefined });
    const { press } = mount(householdGroup(), { controls });
    await press('p');
    await press(KEY.tab);
    await press('p');
    expect(calls).toEqual(['pause run-main', 'pause run-spouse']);
  });

  it('in the process running the group, q asks to stop until every run has ended, then detaches', async () => {
    const running = mount(householdGroup(), { inProcess: true });
    await running.press('q');
    expect(running.lastFrame()).toContain('stop it?');
    const log = householdGroup();
    for (const run of ['run-main', 'run-spouse', 'run-us']) endRun(log, run, 'completed', T0 + 30_000);
    const ended = mount(log, { inProcess: true });
    await ended.press('q');
    expect(ended.exits).toEqual(['detach']);
  });

  it('waits for the group’s first run', () => {
    const { lastFrame } = mount(new EventLog('unused'));
    expect(lastFrame()).toContain('no runs yet: waiting for the group’s first run');
    expect(lastFrame()).toContain('WAITING');
  });
});

describe('GroupDashboard help', () => {
  it('names the key that chooses the account where the help fits, and keeps the legs where it does not', async () => {
    const tall = mount(householdGroup(), { rows: 40 });
    await tall.press('?');
    expect(linesOf(tall.lastFrame()).length).toBeLessThan(40);
    expect(tall.lastFrame()).toContain('⇥ ←/→  choose the account shown below (a group)');
    const short = mount();
    await short.press('?');
    expect(linesOf(short.lastFrame()).length).toBeLessThan(24);
    expect(short.lastFrame()).not.toContain('KEYS');
    expect(short.lastFrame()).toContain('RELIANCE');
  });
});
