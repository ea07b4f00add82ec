import { describe, expect, it, vi } from 'vitest';
import * as calendar from '../../src/market/calendar/index.js';
import { PushEventSource, runDashboard } from '../../src/ui/run-dashboard.js';
import { FakeStdin, FakeStdout } from './fake-terminal.js';
import { partialRun, T0 } from './fixtures.js';

describe('runDashboard', () => {
  it('renders the run from its events and closes when the run ends, if asked to', async () => {
    const log = partialRun();
    const source = new PushEventSource();
    source.push(log.events);
    const stdout = new FakeStdout();
    const done = runDashboard({ source, stdout: stdout.asStream(), stdin: new FakeStdin(false).asStream(), color: false, readOnly: true, closeWhenEnded: true, calendar, now: () => T0 + 10_000 });
    await vi.waitFor(() => expect(stdout.text()).toContain('› RELIANCE'), { timeout: 15_000 });
    source.push(log.add('run.status', { status: 'completed' }, T0 + 20_000));
    await expect(done).resolves.toEqual({ detached: false, exit: 'ended' });
    const text = stdout.text();
    expect(text).toContain('COMPLETED');
    expect(text).toContain('09:30:04  BUY   RELIANCE  40 @ 2502.00');
    expect(text).toContain('SETTLEMENT 2026-11-23 NSE pending');
    expect(stdout.written).not.toMatch(/\u001b\[3[0-9]m/); // no colour when colour is off
  });

  it('detaches on q and hands the keys to the controls it was given', async () => {
    const log = partialRun();
    const source = new PushEventSource();
    source.push(log.events);
    const stdout = new FakeStdout();
    const stdin = new FakeStdin(true);
    const calls: string[] = [];
    const controls = { pause: () => calls.push('pause'), resume: () => calls.push('resume'), cancel: () => calls.push('cancel'), halt: () => calls.push('halt'), detach: () => calls.push('detach') };
    const done = runDashboard({ source, controls, stdout: stdout.asStream(), stdin: stdin.asStream(), color: false, readOnly: false, calendar, now: () => T0 });
    await vi.waitFor(() => expect(stdout.text()).toContain('› RELIANCE'), { timeout: 15_000 });
    stdin.press('p');
    await vi.waitFor(() => expect(calls).toEqual(['pause']), { timeout: 15_000 });
    stdin.press('q');
    await expect(done).resolves.toEqual({ detached: true, exit: 'detach' });
    expect(calls).toEqual(['pause', 'detach']);
  });

  it('keeps up with thousands of events: they are applied at once and drawn in a few frames', async () => {
    const log = partialRun();
    const source = new PushEventSource();
    const stdout = new FakeStdout();
    const done = runDashboard({ source, stdout: stdout.asStream(), stdin: new FakeStdin(false).asStream(), color: false, readOnly: true, closeWhenEnded: true, calendar, now: () => T0 });
    source.push(log.events);
    for (let i = 0; i < 3_000; i++) {
      source.push(log.add('fill.recorded', { clientOrderId: 'P0C3', tradeId: `b${i}`, broker: 'paper', account: 'PAPER1', symbol: 'RELIANCE', exchange: 'NSE', side: 'buy', quantity: 1, price: 250_000, ts: T0 + 20_000 }, T0 + 20_000));
    }
    source.push(log.add('run.status', { status: 'completed' }, T0 + 30_000));
    await expect(done).resolves.toMatchObject({ exit: 'ended' });
    expect(stdout.text()).toContain('fills 3,003');
    // 2 earlier fills of the run and the 3,000 new ones, summarised in one honest line
    expect(stdout.text()).toContain('BUY   RELIANCE  3,060 in 3,002 fills @ avg 2500.03');
    expect(stdout.text()).toContain('SELL  INFY  200 @ 1498.50');
  });
  it('a closed terminal (SIGHUP) or SIGTERM closes it as an interrupt and gives the terminal back', async () => {
    for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
      const listenersBefore = process.listenerCount(signal);
      const source = new PushEventSource();
      source.push(partialRun().events);
      const stdout = new FakeStdout();
      const stdin = new FakeStdin(true);
      const rawMode: boolean[] = [];
      Object.assign(stdin, { setRawMode: (mode: boolean) => void rawMode.push(mode) });
      const done = runDashboard({ source, stdout: stdout.asStream(), stdin: stdin.asStream(), color: false, readOnly: true, calendar, now: () => T0 });
      await vi.waitFor(() => expect(stdout.text()).toContain('› RELIANCE'), { timeout: 15_000 });
      expect(rawMode).toContain(true);
      process.emit(signal, signal);
      await expect(done).resolves.toEqual({ detached: false, exit: 'interrupt' });
      expect(rawMode.at(-1)).toBe(false);
      expect(process.listenerCount(signal)).toBe(listenersBefore);
    }
  });
});
