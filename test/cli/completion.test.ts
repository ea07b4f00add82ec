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

/** What the shell offers for a command line, one candidate per line. */
function complete(shell: Shell, line: string): string[] {
  const words = line.split(' ');
  const program =
    shell === 'bash'
      ? `source ${script('bash')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ptexec; printf '%s\\n' "\${COMPREPLY[@]}"`
      : `compdef() { :; }; source ${script('zsh')}; _describe() { local arr=\${@[-1]}; printf '%s\\n' \${(P)arr}; }; compadd() { shift; printf '%s\\n' "$@"; }; _files() { print files; }; words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _ptexec`;
  const r = shell === 'fish' ? spawnSync('fish', ['-c', `source ${script('fish')}; complete -C '${line}'`], { encoding: 'utf8' }) : spawnSync(shell, shell === 'zsh' ? ['-f', '-c', program] : ['-c', program], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split(/[\t:]/)[0]!);
}

describe('shell completion', () => {
  it('bash completes commands, subcommands, flags, flag values and files', () => {
    expect(complete('bash', 'ptexec reb')).toEqual(['rebalance']);
    expect(complete('bash', 'ptexec runs ')).toEqual(['list', 'show']);
    expect(complete('bash', 'ptexec rebalance --al')).toEqual(['--algo', '--allow-partial', '--allow-duplicate']);
    expect(complete('bash', 'ptexec rebalance --algo t')).toEqual(['twap']);
    expect(complete('bash', 'ptexec rebalance --algo = i')).toEqual(['is', 'iceberg']);
    expect(complete('bash', 'ptexec orders --status rej')).toEqual(['rejected']);
    expect(complete('bash', 'ptexec charges -b ')).toEqual([]);
    expect(complete('bash', `ptexec rebalance ${join(ROOT, 'examples', 'portfolio.j')}`)).toEqual([join(ROOT, 'examples', 'portfolio.json')]);
    expect(complete('bash', 'ptexec paper reset --ye')).toEqual(['--yes']);
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
    expect(complete('zsh', 'ptexec runs ')).toEqual(['list', 'show']);
    expect(complete('zsh', 'ptexec rebalance --algo ')).toEqual(['market', 'limit', 'twap', 'vwap', 'pov', 'is', 'iceberg', 'auto']);
    expect(complete('zsh', 'ptexec rebalance examples/')).toContain('files');
    expect(completionScript('zsh', commands, topics)).toContain(`'paper:The paper broker'\\''s account.'`);
  });

  it.skipIf(!has('fish'))('fish offers the same candidates', () => {
    expect(complete('fish', 'ptexec reb')).toEqual(['rebalance']);
    expect(complete('fish', 'ptexec runs ')).toEqual(['list', 'show']);
    expect(complete('fish', 'ptexec rebalance --algo ')).toEqual(['auto', 'iceberg', 'is', 'limit', 'market', 'pov', 'twap', 'vwap']);
    expect(complete('fish', 'ptexec paper reset --ye')).toEqual(['--yes']);
  });
});
