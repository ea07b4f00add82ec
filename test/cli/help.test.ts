import { Config } from '@oclif/core/config';
import { beforeAll, describe, expect, it } from 'vitest';
import PtexecHelp from '../../src/oclif/help.js';
import { ROOT } from './cli-harness.js';

const WIDTH = 80;

/**
 * The help ptexec prints, captured instead of written, at COLUMNS=80. Each call loads its own
 * Config, as each ptexec process does: oclif's help rewrites command ids in place.
 */
class CapturedHelp extends PtexecHelp {
  text = '';
  protected override log(...args: string[]): void {
    this.text += `${args.join(' ')}\n`;
  }
}

async function helpFor(argv: string[]): Promise<string> {
  const config = await Config.load(ROOT);
  const previous = process.env.COLUMNS;
  process.env.COLUMNS = String(WIDTH);
  try {
    const help = new CapturedHelp(config, { stripAnsi: true });
    await help.showHelp(argv);
    return help.text;
  } finally {
    if (previous === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = previous;
  }
}

/** Lines of a paragraph (between blank lines) that end short although the paragraph goes on: text wrapped twice. */
function raggedLines(section: string): string[] {
  const lines = section.split('\n');
  return lines.filter((line, i) => {
    const next = lines[i + 1];
    return line.trim() !== '' && next !== undefined && next.trim() !== '' && line.length < WIDTH * 0.4 && !/^\s*[-•$]/.test(next);
  });
}

/** The DESCRIPTION section of a command's help, up to the next section header. */
function descriptionOf(help: string): string {
  const m = /^DESCRIPTION\n([\s\S]*?)(?=^[A-Z][A-Z ]+\n|$(?![\s\S]))/m.exec(help);
  return m?.[1] ?? '';
}

describe('help', () => {
  let config: Config;
  beforeAll(async () => {
    config = await Config.load(ROOT);
  });

  it('every command has a one-line summary, examples, and a description written as paragraphs', () => {
    const commands = config.commands.filter((c) => !c.hidden);
    expect(commands.length).toBeGreaterThan(25);
    for (const c of commands) {
      expect(c.summary, c.id).toBeTruthy();
      expect(c.summary, c.id).not.toContain('\n');
      expect(c.summary!.length, `${c.id}: summary under 70 characters`).toBeLessThanOrEqual(70);
      expect(c.examples?.length, `${c.id}: examples`).toBeGreaterThan(0);
      for (const paragraph of (c.description ?? '').split('\n\n')) {
        expect(paragraph.split('\n').length, `${c.id}: a hard line break inside a paragraph of its description:\n${paragraph}`).toBe(1);
      }
    }
  });

  it('fits the terminal: no line wider than COLUMNS, no paragraph wrapped twice, rebalance within one 50-row screen', async () => {
    for (const c of config.commands.filter((c) => !c.hidden)) {
      const help = await helpFor(c.id.split(':'));
      for (const line of help.split('\n')) expect(line.length, `${c.id}: ${line}`).toBeLessThanOrEqual(WIDTH);
      expect(raggedLines(descriptionOf(help)), `${c.id} description`).toEqual([]);
      expect(help, c.id).toMatch(/^USAGE\n {2}\$ ptexec /m);
    }
    const rebalance = await helpFor(['rebalance']);
    expect(rebalance.trimEnd().split('\n').length).toBeLessThanOrEqual(50);
    // Every flag a PM uses is shown, none hidden to fit: the accounts' flags in a section of their own.
    for (const [name, flag] of Object.entries(config.findCommand('rebalance')!.flags)) {
      expect(flag.hidden, name).toBeFalsy();
      if (flag.helpGroup !== 'GLOBAL') expect(rebalance, name).toMatch(new RegExp(`--(\\[no-\\])?${name}\\b`));
    }
    expect(rebalance).toMatch(/^ACCOUNT FLAGS\n {2}--account=ALIAS .*\n {2}--accounts=LIST .*\n {2}--\[no-\]failover /m);
    // Usage and examples come before the flags; the long description last.
    const at = (header: string) => rebalance.indexOf(`\n${header}\n`);
    expect(at('USAGE')).toBeLessThan(at('EXAMPLES'));
    expect(at('EXAMPLES')).toBeLessThan(at('FLAGS'));
    expect(at('FLAGS')).toBeLessThan(at('DESCRIPTION'));
  });

  it('ptexec --help fits one screen and names every command as it is typed', async () => {
    const root = await helpFor([]);
    const lines = root.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(WIDTH);
    expect(root).not.toMatch(/\w:\w/);
    for (const word of ['rebalance', 'runs', 'paper', 'config', 'completion']) expect(root).toMatch(new RegExp(`^ {2}${word}\\b`, 'm'));
    // `version` is named on the line of -v, --version, as `help` is on the line of -h, --help.
    expect(root).toMatch(/^ {2}-v, --version +.*`ptexec version`/m);
    expect(root.replace(/\s+/g, ' ')).toContain('paper universe import, paper universe show');
    expect(root).toMatch(/^ {2}cancel +.*\bflatten\b/m);
  });
});
