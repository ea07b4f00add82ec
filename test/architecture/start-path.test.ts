import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { src } from './sources.js';

/**
 * What a command loads before it runs is what its static imports reach: a module on that path is
 * loaded (and compiled) by every start of the command, whether it is used or not. Modules a
 * command only needs on some paths are imported with `import()` where they are needed.
 */

/** The modules of ours a file imports or re-exports statically, types left out. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)([^'";]*?)from\s*['"](\.[^'"]+)['"]/g)) {
    // `import { type A, type B } from` loads nothing either.
    const names = m[1]!.replace(/[{}\s]/g, '');
    if (names.length && names.split(',').every((n) => n === '' || n.startsWith('type'))) continue;
    const target = resolve(dirname(file), m[2]!.replace(/\.js$/, '.ts'));
    out.push(existsSync(target) ? target : target.replace(/\.ts$/, '.tsx'));
  }
  return out;
}

/** Every module of ours that `entry`'s static imports reach, each with the chain that reaches it. */
function reached(entry: string): Map<string, string> {
  const seen = new Map<string, string>([[entry, relative(src, entry)]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    for (const next of staticImports(file)) {
      if (seen.has(next) || !existsSync(next)) continue;
      seen.set(next, `${seen.get(file)} -> ${relative(src, next)}`);
      queue.push(next);
    }
  }
  return seen;
}

describe('the start of ptexec check', () => {
  it('loads neither the group rebalance, the progress lines nor the dashboard: a check only plans', () => {
    const paths = reached(join(src, 'commands', 'check.ts'));
    const unwanted = [...paths.entries()].filter(([file]) => /[\\/](app[\\/]group[\\/]group-rebalance|ui[\\/]progress-lines|ui[\\/]view-model[\\/]view-model|ui[\\/]run-dashboard|app[\\/]rebalance-command-service)\.tsx?$/.test(file));
    expect(unwanted.map(([, chain]) => chain)).toEqual([]);
  });
});
