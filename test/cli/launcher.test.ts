import { afterAll, describe, expect, it } from 'vitest';
import { CliSandbox } from './cli-harness.js';

describe('the ptexec launcher (bundled commands)', () => {
  const sandbox = new CliSandbox();
  afterAll(() => sandbox.cleanup());

  it('prints its version', async () => {
    const r = await sandbox.run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ptexec\/\d+\.\d+\.\d+ \S+ node-v\d+/);
  });

  it('`help` lists the commands and `help <command>` shows one, without the help plugin', async () => {
    const all = await sandbox.run(['help']);
    expect(all.code).toBe(0);
    for (const command of ['rebalance', 'resume', 'watch']) expect(all.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    // `help` itself is the -h line of GLOBAL FLAGS.
    expect(all.stdout).toMatch(/^  -h, --help +this help; `ptexec help COMMAND` for one command$/m);
    const one = await sandbox.run(['help', 'runs', 'show']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('$ ptexec runs show [RUN]');
  });

  it('never takes an argument from standard input: piped text is not a run id', async () => {
    const r = await sandbox.json<{ error: { message: string } }>(['runs', 'show'], { input: 'some-run-id\n' });
    expect(r.code).toBe(2);
    expect(r.body.error.message).not.toContain('some-run-id');
  });

  it('reads the shipped calendars and charge schedules from inside the bundle', async () => {
    const r = await sandbox.json<Record<string, unknown>>(['charges', '--broker', 'zerodha', '--side', 'buy', '--qty', '10', '--price', '2500']);
    expect(r.code, r.stderr).toBe(0);
  });
});
