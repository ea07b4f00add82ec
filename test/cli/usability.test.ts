import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliSandbox, paperOrderCount, ROOT } from './cli-harness.js';

interface ManifestFlag {
  name: string;
  char?: string;
  type: 'boolean' | 'option';
  options?: string[];
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { flags: Record<string, ManifestFlag> }> };

describe('a CLI that helps', () => {
  const sandbox = new CliSandbox();
  let runId = '';
  beforeAll(async () => {
    const reset = await sandbox.run(['paper', 'reset']);
    expect(reset.code, reset.stderr).toBe(0);
    const run = await sandbox.json<{ run_id: string }>(['rebalance', 'examples/portfolio.json', '--yes', '--speed', 'max', '--no-ui']);
    expect(run.code, run.stderr).toBe(0);
    runId = run.body.run_id;
  });
  afterAll(() => sandbox.cleanup());

  it('mistyped commands and flags: exit 2, named as typed, with the closest match', async () => {
    const [command, commandJson, flag, typo, version, v, help] = await Promise.all([
      sandbox.run(['runs', 'lst']),
      sandbox.json<{ error: { message: string; exit_code: number } }>(['runs', 'lst']),
      sandbox.run(['rebalance', 'examples/portfolio.json', '--dyr-run']),
      sandbox.run(['rebalanc', 'examples/portfolio.json']),
      sandbox.run(['version']),
      sandbox.run(['-v']),
      sandbox.run(['help', 'runs', 'lst']),
    ]);
    expect(help.code).toBe(2);
    expect(help.stderr).toContain('unknown command `runs lst`');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command `runs lst`; did you mean `runs list` or `runs show`?');
    expect(command.stderr).not.toContain('runs:lst');
    expect(commandJson.code).toBe(2);
    expect(commandJson.body.error).toMatchObject({ message: 'unknown command `runs lst`; did you mean `runs list` or `runs show`?', exit_code: 2 });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown flag --dyr-run; did you mean --dry-run?');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean `rebalance`?');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^ptexec\/\d+\.\d+\.\d+ /);
    expect(v.stdout).toBe(version.stdout);
  });

  it('rebalance flags: --algo is checked when parsed, --param takes one value and leaves the file alone', async () => {
    const before = paperOrderCount(sandbox.db);
    const [algo, param] = await Promise.all([
      sandbox.run(['rebalance', 'examples/portfolio.json', '--algo', 'twp', '--yes', '--new-run', '--speed', 'max']),
      sandbox.run(['rebalance', '--param', 'child_type=market', 'examples/portfolio.json', '--dry-run']),
    ]);
    expect(algo.code).toBe(2);
    expect(algo.stderr).toContain('--algo twp is not one of market, limit, twap, vwap, pov, is, iceberg, auto; did you mean twap?');
    expect(param.code, param.stderr).toBe(0);
    expect(param.stdout).toContain('Dry run');
    expect(paperOrderCount(sandbox.db)).toBe(before);
  });

  it('wrong ids and dates are exit 2 naming what is wrong, in every command that takes them', async () => {
    const cases: [string[], string][] = [
      [['settlement', '--date', '2026-13-45'], '--date 2026-13-45 is not a date'],
      [['pnl', '--since', '2026-02-30'], '--since 2026-02-30 is not a date'],
      [['tca', '--group-by', 'algo', '--since', '20260101'], '--since 20260101 is not a date'],
      [['pnl', '--run', 'nosuch'], 'no run nosuch'],
      [['orders', '--run', 'nosuch'], 'no run nosuch'],
      [['fills', '--run', 'nosuch'], 'no run nosuch'],
      [['tca', 'nosuch'], 'no run nosuch'],
      [['runs', 'show', 'nosuch'], 'no run nosuch'],
      [['fills', '--order', 'nosuch'], 'no order nosuch'],
      [['orders', 'show', 'nosuch'], 'no order nosuch'],
    ];
    const results = await Promise.all(cases.map(([args]) => sandbox.run(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr).toContain(cases[i]![1]);
    });
    const date = results[0]!;
    expect(date.stderr).toContain('YYYY-MM-DD');
    // A run's prefix still selects it.
    const byPrefix = await sandbox.json<{ fills: unknown[] }>(['fills', '--run', runId.slice(0, 6)]);
    expect(byPrefix.code).toBe(0);
    expect(byPrefix.body.fills.length).toBeGreaterThan(0);
  });

  it('charges uses the configured default broker like every other command, and -b', async () => {
    const paper = await sandbox.json<{ broker: string }>(['charges', '--side', 'buy', '--qty', '10', '--price', '2500']);
    expect(paper.code, paper.stderr).toBe(0);
    expect(paper.body.broker).toBe('paper');
    const other = new CliSandbox();
    try {
      mkdirSync(join(other.dir, 'config', 'ptexec'), { recursive: true });
      writeFileSync(join(other.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ default_broker: 'zerodha' }));
      const [configured, flag] = await Promise.all([
        other.json<{ broker: string }>(['charges', '--side', 'buy', '--qty', '10', '--price', '2500']),
        other.json<{ broker: string }>(['charges', '-b', 'alpaca', '--side', 'sell', '--qty', '10', '--price', '187.25']),
      ]);
      expect(configured.body.broker).toBe('zerodha');
      expect(flag.body.broker).toBe('alpaca');
    } finally {
      other.cleanup();
    }
  });

  it('completion and config are commands: a script per shell, the configuration with sources', async () => {
    const [bash, tcsh, init, shown] = await Promise.all([
      sandbox.run(['completion', 'bash']),
      sandbox.run(['completion', 'tcsh']),
      sandbox.run(['config', 'init']),
      sandbox.json<{ values: { key: string; source: string }[] }>(['config', 'show']),
    ]);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o filenames -F _ptexec ptexec');
    expect(tcsh.code).toBe(2);
    expect(tcsh.stderr).toContain('tcsh is not one of bash, zsh, fish');
    expect(init.code, init.stderr).toBe(0);
    expect(shown.code).toBe(0);
    expect(shown.body.values.find((v) => v.key === 'paths.database')).toMatchObject({ source: 'env PTEXEC_DB' });
  });

  it('every command with --broker also takes -b', () => {
    const withBroker = Object.entries(manifest.commands).filter(([, c]) => c.flags['broker']);
    expect(withBroker.length).toBeGreaterThanOrEqual(9);
    for (const [id, c] of withBroker) expect(c.flags['broker']!.char, id).toBe('b');
  });

  it('algo preview accepts every algorithm rebalance accepts', async () => {
    // `auto` is not an algorithm but a choice of one per leg when a plan is made (README "--algo auto").
    const names = manifest.commands['rebalance']!.flags['algo']!.options!.filter((n: string) => n !== 'auto');
    expect(manifest.commands['rebalance']!.flags['algo']!.options).toContain('auto');
    expect(manifest.commands['algo:preview']!.flags['algo']!.options).toEqual(names);
    const preview = (algo: string) => sandbox.json<{ algo: string; schedule: { quantity: number }[] }>(['algo', 'preview', '--algo', algo, '--qty', '500', '--start', '2026-01-05 10:00']);
    const [market, limit] = await Promise.all([preview('market'), preview('limit')]);
    expect(market.code, market.stderr).toBe(0);
    expect(market.body.schedule).toEqual([expect.objectContaining({ quantity: 500, cumulative: 500, remaining: 0 })]);
    expect(limit.body.algo).toBe('limit');
  });

  it('destructive commands: a finished run has nothing to cancel, paper reset (simulated money) proceeds and says so', async () => {
    // (A stopped run's cancel needs --yes without a terminal: test/cli/stopped-runs.test.ts.)
    const cancel = await sandbox.run(['cancel', runId, '-y']);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain(`run ${runId} is completed; there is nothing to cancel`);
    const reset = await sandbox.run(['paper', 'reset', '--cash', '5000000']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toContain('no terminal to ask');
    const quiet = await sandbox.run(['paper', 'reset', '--yes']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('no terminal to ask');
  });
});
