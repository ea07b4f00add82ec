import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completionCommands, completionScript, type ManifestCommand, type Shell } from '../../src/app/completion-script.js';
import { ROOT } from './cli-harness.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, ManifestCommand> };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { oclif: { topics: Record<string, { description: string }> } };
const commands = completionCommands(Object.values(manifest.commands));
const topics = Object.fromEntries(Object.entries(pkg.oclif.topics).map(([name, t]) => [name, t.description]));
const dir = mkdtempSync(join(tmpdir(), 'ptexec-completion-'));

function script(shell: Shell): string {
  const path = join(dir, `ptexec.${shell}`);
  writeFileSync(path, completionScript(shell, commands, topics));
  return path;
}

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

/** One shell program that completes a command line and prints its candidates, one per line. */
function program(shell: 'bash' | 'zsh', line: string): string {
  const words = line.split(' ');
  return shell === 'bash'
    ? `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _ptexec; printf '%s\\n' "\${COMPREPLY[@]}"`
    : `words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _ptexec`;
}

/**
 * What the shell offers for each command line, one candidate per line. The lines go to one shell
 * process: a process started per line made the test wait on process start-up, tens of seconds in
 * a busy suite.
 */
function completeAll(shell: Shell, lines: string[]): string[][] {
  const mark = '--ptexec-completion-end--';
  const r =
    shell === 'fish'
      ? spawnSync('fish', ['-c', [`source ${script('fish')}`, ...lines.map((l) => `complete -C '${l}'; echo ${mark}`)].join('; ')], { encoding: 'utf8' })
      : shell === 'bash'
        ? spawnSync('bash', ['-c', [`source ${script('bash')}`, ...lines.map((l) => `${program('bash', l)}; echo ${mark}`)].join('; ')], { encoding: 'utf8' })
        : spawnSync('zsh', ['-f', '-c', [`compdef() { :; }; source ${script('zsh')}; _describe() { local arr=\${@[-1]}; printf '%s\\n' \${(P)arr}; }; compadd() { shift; printf '%s\\n' "$@"; }; _files() { print files; }`, ...lines.map((l) => `${program('zsh', l)}; echo ${mark}`)].join('; ')], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const out = r.stdout.split(`${mark}\n`).slice(0, lines.length);
  expect(out).toHaveLength(lines.length);
  return out.map((o) => o.split('\n').filter(Boolean).map((l) => l.split(/[\t:]/)[0]!));
}

/** Expects each command line (key) to complete to its candidates (value), all in one shell process. */
function expectCompletions(shell: Shell, cases: [line: string, expected: (got: string[]) => void][]): void {
  const got = completeAll(shell, cases.map(([line]) => line));
  cases.forEach(([line, check], i) => {
    try {
      check(got[i]!);
    } catch (err) {
      throw new Error(`${shell}: '${line}': ${(err as Error).message}`);
    }
  });
}

const equals = (expected: string[]) => (got: string[]) => expect(got).toEqual(expected);

describe('shell completion', () => {
  it('bash completes commands, subcommands, flags, flag values and files', () => {
    expectCompletions('bash', [
      ['ptexec reb', equals(['rebalance'])],
      ['ptexec runs ', equals(['list', 'show'])],
      ['ptexec rebalance --al', equals(['--algo', '--allow-partial', '--allow-duplicate'])],
      ['ptexec rebalance --algo t', equals(['twap'])],
      ['ptexec rebalance --algo = i', equals(['is', 'iceberg'])],
      ['ptexec orders --status rej', equals(['rejected'])],
      ['ptexec charges -b ', equals([])],
      [`ptexec rebalance ${join(ROOT, 'examples', 'portfolio.j')}`, equals([join(ROOT, 'examples', 'portfolio.json')])],
      ['ptexec paper reset --ye', equals(['--yes'])],
    ]);
  });

  it('every command, subcommand and flag of the manifest is in each script', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const text = completionScript(shell, commands, topics);
      for (const c of commands) {
        for (const word of c.id.split(' ')) expect(text, `${shell}: ${c.id}`).toContain(word);
        for (const f of c.flags) expect(text, `${shell}: ${c.id} --${f.name}`).toMatch(shell === 'fish' ? new RegExp(`-l ${f.name}\\b`) : new RegExp(`--${f.name}\\b`));
      }
    }
  });

  it.skipIf(!has('zsh'))('zsh offers the same candidates, with descriptions', () => {
    expectCompletions('zsh', [
      ['ptexec runs ', equals(['list', 'show'])],
      ['ptexec rebalance --algo ', equals(['market', 'limit', 'twap', 'vwap', 'pov', 'is', 'iceberg', 'auto'])],
      ['ptexec rebalance examples/', (got) => expect(got).toContain('files')],
    ]);
    expect(completionScript('zsh', commands, topics)).toContain(`'paper:The paper broker'\\''s account.'`);
  });

  it.skipIf(!has('fish'))('fish offers the same candidates', () => {
    expectCompletions('fish', [
      ['ptexec reb', equals(['rebalance'])],
      ['ptexec runs ', equals(['list', 'show'])],
      ['ptexec rebalance --algo ', equals(['auto', 'iceberg', 'is', 'limit', 'market', 'pov', 'twap', 'vwap'])],
      ['ptexec paper reset --ye', equals(['--yes'])],
    ]);
  });
});
