import { CommandHelp, Help } from '@oclif/core/help';
import type { Command } from '@oclif/core/command';
import type { Config } from '@oclif/core/config';
import type { HelpOptions } from '@oclif/core/interfaces';
import { IO } from '../lib/io.js';

type Flag = Command.Flag.Cached;
type Arg = Command.Arg.Cached;

/**
 * Width of help text: `COLUMNS` when set (oclif itself ignores it), else the terminal's width, else
 * 80; at most 100, because longer lines are harder to read, not easier.
 */
export function helpWidth(io: IO): number {
  const columns = Number.parseInt(io.env.COLUMNS ?? '', 10) || io.columns || 80;
  return Math.max(40, Math.min(columns, 100));
}

/**
 * Text written as paragraphs (a blank line between them) becomes one line per paragraph, so that
 * it is wrapped once, at the width of the terminal. Lines that start a list item or are indented
 * keep their own line.
 */
export function reflow(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n').reduce((acc, line) => (acc === '' ? line.trim() : /^\s|^[-•*$]/.test(line) ? `${acc}\n${line}` : `${acc} ${line.trim()}`), ''))
    .join('\n\n');
}

/**
 * Rows of a name and its text, the text wrapped beside the names (oclif's list renderer trims the
 * first row's indentation away, which misaligns a flag without a short form).
 */
function columns(rows: [string, string][], width: number, wrap: (text: string, width: number) => string): string {
  const left = Math.max(...rows.map(([name]) => name.length));
  const textWidth = Math.max(20, width - 2 - left - 2);
  return rows
    .map(([name, text]) => {
      const [first = '', ...rest] = wrap(text, textWidth).split('\n');
      return [`${name.padEnd(left)}  ${first}`.trimEnd(), ...rest.map((line) => `${' '.repeat(left + 2)}${line}`)].join('\n');
    })
    .join('\n');
}

/** The help group of the flags every command shares, shown on one line (`GLOBAL FLAGS`). */
const GLOBAL = 'GLOBAL';

/** `--broker=NAME`, `-b, --broker=NAME`, `    --dry-run`, `    --[no-]failover`. */
function flagLabel(flag: Flag): string {
  const names = `${flag.char ? `-${flag.char}, ` : '    '}--${flag.type === 'boolean' && flag.allowNo ? '[no-]' : ''}${flag.name}`;
  if (flag.type !== 'option') return names;
  const value = typeof flag.helpValue === 'string' ? flag.helpValue : 'VALUE';
  return `${names}=${value}${flag.multiple ? '…' : ''}`;
}

function flagText(flag: Flag): string {
  let text = (flag.summary ?? flag.description ?? '').trim();
  if (flag.type === 'option' && flag.options && !flag.options.every((o) => text.includes(o))) text += ` (${flag.options.join(', ')})`;
  if (flag.type === 'option' && flag.default !== undefined && typeof flag.default !== 'function' && !text.includes('default')) text += ` [default: ${String(flag.default)}]`;
  if (flag.required) text = `(required) ${text}`;
  return text;
}

/**
 * One command's help, shortest route to using it first: the summary, the usage line, examples
 * that run as written, the command's own flags, then each group of them a command names
 * (`helpGroup`, e.g. `ACCOUNT`) under its own header, the global flags on one line, and the
 * longer description last.
 */
class PtexecCommandHelp extends CommandHelp {
  protected override sections(): { generate: (parts: { args: Arg[]; cmd: Command.Loadable; flags: Flag[] }, header: string) => string | undefined; header: string }[] {
    const groups = [...new Set(Object.values(this.command.flags ?? {}).map((f) => f.helpGroup).filter((g): g is string => g !== undefined && g !== GLOBAL))];
    return [
      { header: 'USAGE', generate: () => this.usageLine() },
      { header: 'ARGUMENTS', generate: ({ args }) => this.argList(args) },
      { header: 'EXAMPLES', generate: ({ cmd }) => this.exampleLines(cmd) },
      { header: 'FLAGS', generate: ({ flags }) => this.flagList(flags.filter((f) => !f.helpGroup)) },
      ...groups.map((group) => ({ header: `${group} FLAGS`, generate: ({ flags }: { flags: Flag[] }) => this.flagList(flags.filter((f) => f.helpGroup === group)) })),
      { header: 'GLOBAL FLAGS', generate: ({ flags }) => this.globalFlagLine(flags.filter((f) => f.helpGroup === GLOBAL)) },
      { header: 'DESCRIPTION', generate: ({ cmd }) => (cmd.description ? this.wrap(reflow(this.render(cmd.description))) : undefined) },
      { header: 'ALIASES', generate: ({ cmd }) => (cmd.aliases.length ? cmd.aliases.map((a) => `$ ${this.config.bin} ${a.replaceAll(':', ' ')}`).join('\n') : undefined) },
    ];
  }

  private usageLine(): string {
    const args = Object.values(this.command.args ?? {})
      .filter((a) => !a.hidden)
      .map((a) => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`));
    return this.wrap([`$ ${this.config.bin} ${this.command.id.replaceAll(':', ' ')}`, ...args, '[FLAGS]'].join(' '));
  }

  private argList(args: Arg[]): string | undefined {
    if (!args.some((a) => a.description)) return undefined;
    return this.list(args.map((a) => [a.name.toUpperCase(), a.description ?? '']));
  }

  private exampleLines(cmd: Command.Loadable): string | undefined {
    const examples = cmd.examples ?? [];
    if (examples.length === 0) return undefined;
    const lines: string[] = [];
    for (const example of examples) {
      const text = typeof example === 'string' ? this.render(example) : `${this.render(example.description)}\n${this.render(example.command)}`;
      for (const line of text.split('\n').filter(Boolean)) lines.push(...this.exampleLine(line));
    }
    return lines.join('\n');
  }

  /** A command as `$ ptexec …`, broken at spaces with ` \` when it is wider than the screen. */
  private exampleLine(line: string): string[] {
    const isCommand = line.startsWith(`${this.config.bin} `) || line.includes(`| ${this.config.bin} `);
    if (!isCommand) return this.wrap(`# ${line}`, 4).split('\n');
    const width = this.opts.maxWidth - 2 - 2;
    const out: string[] = [];
    let current = '$';
    for (const word of line.split(' ')) {
      if (current.length + 1 + word.length > width && current !== '$' && current.trim() !== '') {
        out.push(`${current} \\`);
        current = ' ';
      }
      current += ` ${word}`;
    }
    out.push(current);
    return out;
  }

  private flagList(flags: Flag[]): string | undefined {
    if (flags.length === 0) return undefined;
    const rows = flags.map((f): [string, string] => [flagLabel(f), flagText(f)]);
    // Without any short flag, the column of short flags is left out.
    return this.list(flags.some((f) => f.char) ? rows : rows.map(([label, text]) => [label.trimStart(), text]));
  }

  private list(rows: [string, string][]): string {
    return columns(rows, this.opts.maxWidth, (text, width) => this.wrap(text, this.opts.maxWidth - width));
  }

  private globalFlagLine(flags: Flag[]): string | undefined {
    if (flags.length === 0) return undefined;
    const labels = flags.map((f) => flagLabel(f).trim());
    return this.wrap(`${labels.join(' ')} -h, --help (see \`${this.config.bin} --help\`)`);
  }
}

/**
 * ptexec's help: commands as the user types them (`runs show`), text wrapped once at the
 * terminal's width, and a root page that fits one screen. Loaded only when help is asked for.
 */
export default class PtexecHelp extends Help {
  override CommandHelpClass = PtexecCommandHelp as unknown as typeof CommandHelp;

  constructor(config: Config, options: Partial<HelpOptions> = {}) {
    super(config, { ...options, maxWidth: helpWidth(new IO()), flagSortOrder: 'none' });
  }

  protected override async showRootHelp(): Promise<void> {
    const bin = this.config.bin;
    const global = this.config.commands.find((c) => c.id === 'rebalance')?.flags ?? {};
    const globalFlags = Object.entries(global)
      .filter(([, f]) => f.helpGroup === GLOBAL)
      .map(([name, f]) => [flagLabel({ ...f, name } as Flag).trim(), flagText({ ...f, name } as Flag)] as [string, string]);
    const list = (rows: [string, string][]) => columns(rows, this.opts.maxWidth, (text, width) => this.wrap(text, this.opts.maxWidth - width));
    const sections = [
      this.wrap(this.config.pjson.oclif.description ?? this.config.pjson.description ?? '', 0),
      this.section('USAGE', `$ ${bin} COMMAND [ARGS] [FLAGS]`),
      this.section('COMMANDS', list(this.rootCommandRows())),
      this.section('GLOBAL FLAGS', list([...globalFlags, ['-h, --help', `this help; \`${bin} help COMMAND\` for one command`], ['-v, --version', `the version (also \`${bin} version\`)`]])),
    ];
    this.log(`${sections.join('\n\n')}\n`);
  }

  /** One row per first word: a command's summary, or a topic's description and its commands as typed. */
  private rootCommandRows(): [string, string][] {
    // oclif's formatCommand rewrites ids to the topic separator in place; read them back as ids.
    const visible = this.config.commands.filter((c) => !c.hidden).map((c) => ({ ...c, id: c.id.replaceAll(' ', ':'), aliases: c.aliases.map((a) => a.replaceAll(' ', ':')) }));
    // `unhalt` shares the line of `halt`, which it undoes, `drift` that of `check` (both read a
    // target against the account), `tca` that of `pnl` (both an analysis after the trade) and
    // `flatten` that of `cancel` (both stop a run and its open orders; a longer name would widen
    // the column and wrap other rows), `serve` that of `runs` (its API serves runs to other programs),
    // `simulate` that of `algo preview` (both show what an algorithm would do, without trading), so the
    // help fits one screen; `help` and `version` are the `-h, --help` and `-v, --version` lines of the global flags.
    const words = [...new Set(visible.map((c) => c.id.split(':')[0]!))].filter((w) => w !== 'unhalt' && w !== 'drift' && w !== 'tca' && w !== 'flatten' && w !== 'serve' && w !== 'simulate' && w !== 'help' && w !== 'version').sort();
    return words.map((word): [string, string] => {
      if (word === 'halt') return ['halt, unhalt', `${this.summaryOf(visible.find((c) => c.id === 'halt')!).replace(/\.$/, '')}; unhalt lifts it`];
      if (word === 'check') return ['check, drift', 'Plan and check a target, sending nothing; drift shows its drift'];
      if (word === 'cancel') return ['cancel', 'Cancel a run or leg and its open orders; flatten sells out too'];
      if (word === 'algo') return ['algo preview', 'The schedule an algorithm would follow; simulate compares them'];
      if (word === 'pnl') return ['pnl, tca', 'Realised and unrealised P&L; tca: transaction cost analysis'];
      if (word === 'runs') return ['runs, serve', 'Rebalance runs: runs, runs show; serve: the API over HTTP'];
      const command = visible.find((c) => c.id === word);
      const subs = visible.filter((c) => c.id.startsWith(`${word}:`) && !(command?.aliases ?? []).includes(c.id)).map((c) => c.id.replaceAll(':', ' '));
      // `brokers` has many commands: named without the word, grouped, so the row stays one line.
      if (word === 'brokers') return [word, 'Sessions: login, logout, status; accounts; scorecard'];
      if (!command && subs.length === 1) return [subs[0]!, this.summaryOf(visible.find((c) => c.id === `${word}:${subs[0]!.split(' ')[1]}`)!)];
      if (subs.length === 0) return [word, this.summaryOf(command!)];
      const topic = this.config.topics.find((t) => t.name === word)?.description ?? '';
      return [word, `${topic.replace(/\.$/, '')}: ${[...(command ? [word] : []), ...subs].join(', ')}`];
    });
  }

  private summaryOf(command: Command.Loadable): string {
    return (command.summary ?? command.description ?? '').split('\n')[0] ?? '';
  }
}
