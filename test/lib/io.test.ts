import { describe, expect, it } from 'vitest';
import { fakeIO } from './fake-terminal.js';

describe('the I/O object owns the terminal', () => {
  it('opens standard input only when it is read (it costs a start about 10 ms)', async () => {
    const t = fakeIO({ input: '{"positions":[]}' });
    t.io.data('plan');
    t.io.info('progress');
    expect(t.stdinOpened()).toBe(0);
    let text = '';
    for await (const chunk of t.io.stdin) text += String(chunk);
    expect(text).toBe('{"positions":[]}');
    expect(t.stdinOpened()).toBe(1);
  });

  it('prompts only when stdin and stderr are terminals, asks on stderr and defaults to no', async () => {
    expect(fakeIO({ tty: { stdin: true, stderr: false } }).io.interactive).toBe(false);
    const yes = fakeIO({ tty: { stdin: true, stderr: true }, input: 'y\n' });
    expect(yes.io.interactive).toBe(true);
    expect(await yes.io.confirm('Send 2 orders?')).toBe(true);
    expect(yes.stderr.text()).toContain('Send 2 orders? [y/N] ');
    expect(yes.stdout.text()).toBe('');
    expect(await fakeIO({ tty: { stdin: true, stderr: true }, input: '\n' }).io.confirm('Send?')).toBe(false);
  });

  it('shows the dashboard only with a terminal on stdout and stdin, never with TERM=dumb or --json', () => {
    expect(fakeIO({ tty: { stdin: true, stdout: true } }).io.dashboard).toBe(true);
    expect(fakeIO({ tty: { stdin: true, stdout: false } }).io.dashboard).toBe(false);
    expect(fakeIO({ tty: { stdin: true, stdout: true }, env: { TERM: 'dumb' } }).io.dashboard).toBe(false);
    expect(fakeIO({ tty: { stdin: true, stdout: true }, json: true }).io.dashboard).toBe(false);
  });

  it('owns the stop signals: the first stops sending and says why, a second exits 130, and they are released', () => {
    const t = fakeIO();
    const interrupt = t.io.interruptOnSignals();
    expect(t.signals.listenerCount('SIGTERM')).toBe(1);
    t.signals.emit('SIGTERM');
    expect(interrupt.signal.aborted).toBe(true);
    expect(interrupt.signal.reason).toBe('stopped by SIGTERM');
    expect(t.stderr.text()).toContain('stopping (SIGTERM): no new orders will be sent (SIGTERM again to exit now)');
    expect(() => t.signals.emit('SIGINT')).toThrow('exit 130');
    expect(t.exits).toEqual([130]);
    expect(t.stderr.text()).toContain('interrupted again: exiting; the run is resumable with `ptexec resume`');
    interrupt.dispose();
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(t.signals.listenerCount(name)).toBe(0);
  });
});
