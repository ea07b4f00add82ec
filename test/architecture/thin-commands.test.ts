import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, sourceFiles, src } from './sources.js';

/**
 * Commands parse, call one use case and present; the I/O object alone touches the process; only
 * a broker's adapter, the registry and the config name a broker. Checked on the sources.
 */

/** Each line of the sources (comments left out) that matches, as `file:line: text`. */
function matches(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
      .filter(({ line }) => !/^\s*(\*|\/\/|\/\*)/.test(line) && pattern.test(line))
      .map(({ line, at }) => `${at}: ${line.trim()}`),
  );
}

const all = sourceFiles(src);
const outside = (...allowed: string[]) => all.filter((f) => !allowed.some((a) => relative(src, f).startsWith(a)));

describe('thin commands, one I/O object, brokers by capability', () => {
  it('only the I/O object (and the interrupt that owns the stop signals) touches the process’s streams, environment, signals and exit code', () => {
    const processUse = /\bprocess\.(stdout|stderr|stdin|env|on|once|off|exitCode|exit)\b|\breturn process;|\?\? process(?![.\w])/;
    expect(matches(outside('lib/io.ts', 'lib/interrupt.ts'), processUse)).toEqual([]);
  });

  it('no broker is named outside its adapter, the registry and the config', () => {
    expect(matches(outside('brokers/paper/', 'brokers/zerodha/', 'brokers/registry.ts', 'brokers/index.ts', 'lib/config.ts'), /'(paper|zerodha)'/)).toEqual([]);
  });

  it('commands read no store, config or credentials themselves: use cases do', () => {
    const commands = sourceFiles(join(src, 'commands'));
    const direct = matches(commands.filter((f) => !f.endsWith('base-command.ts')), /^import (?!type).*from '(\.\.\/)+(store|lib\/config|lib\/credentials|lib\/paths)[./]/);
    expect(direct).toEqual([]);
    const long = commands.filter((f) => !f.endsWith('base-command.ts')).flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const run = /\n  async run\(\)[^\n]*\{\n([\s\S]*?)\n  \}\n/.exec(text)?.[1] ?? '';
      return run.split('\n').length > 10 ? [`${relative(root, f)}: run() has ${run.split('\n').length} lines`] : [];
    });
    expect(long).toEqual([]);
  });
});
