import { Chalk, type ChalkInstance } from 'chalk';
import { type Cell, type Column, layoutTable, visibleLength } from './table.js';

const LINES_PER_WRITE = 1000;

export interface OutputOptions {
  noColor?: boolean;
  json?: boolean;
  wide?: boolean;
}

/**
 * The output half of the I/O object (IO, which binds it to the process): data to stdout,
 * messages to stderr; colour only on a TTY and never with NO_COLOR, TERM=dumb or --no-color.
 * Presenters write through it; tests build it over fake streams.
 */
export class Output {
  readonly color: boolean;
  /** `--json`: the result is one JSON document on stdout, and nothing else is. */
  readonly jsonMode: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly c: ChalkInstance;
  /**
   * Columns tables and summaries must fit in: the terminal's (`COLUMNS` overrides it), or
   * undefined — no limit — when stdout is not a terminal or with --wide, so that scripts, files
   * and `less -S` get every column in full.
   */
  readonly width: number | undefined;

  constructor(
    options: OutputOptions = {},
    private readonly stdout: NodeJS.WriteStream,
    private readonly stderr: NodeJS.WriteStream,
    env: NodeJS.ProcessEnv,
  ) {
    this.jsonMode = options.json ?? false;
    this.stdoutIsTTY = Boolean(stdout.isTTY);
    this.stderrIsTTY = Boolean(stderr.isTTY);
    this.color = this.stdoutIsTTY && !options.noColor && !options.json && !env.NO_COLOR && env.TERM !== 'dumb';
    // chalk 5 ignores NO_COLOR, so the level is set here rather than trusting its detection.
    this.c = new Chalk({ level: this.color ? 1 : 0 });
    this.width = this.stdoutIsTTY && !options.wide ? terminalWidth(stdout, env) : undefined;
  }

  private readonly lineSinks: ((level: 'info' | 'warn' | 'error', line: string) => void)[] = [];

  /** Also hands every message line (stderr) to `sink`, without colour: a run's log file. */
  copyMessagesTo(sink: (level: 'info' | 'warn' | 'error', line: string) => void): void {
    this.lineSinks.push(sink);
  }

  private copy(level: 'info' | 'warn' | 'error', line: string): void {
    for (const sink of this.lineSinks) sink(level, line.replace(/\x1b\[[0-9;]*m/g, ''));
  }

  /** A line of data (stdout). */
  data(line = ''): void {
    this.stdout.write(`${line}\n`);
  }

  /** Lines of data (stdout), in a few large writes rather than one per line: a table of 50,000 rows is one system call per thousand. */
  lines(lines: readonly string[]): void {
    for (let i = 0; i < lines.length; i += LINES_PER_WRITE) this.stdout.write(`${lines.slice(i, i + LINES_PER_WRITE).join('\n')}\n`);
  }

  /** A progress or status message (stderr). */
  info(line: string): void {
    this.copy('info', line);
    this.stderr.write(`${line}\n`);
  }

  warn(line: string): void {
    this.copy('warn', line);
    this.stderr.write(`${this.c.yellow('warning:')} ${line}\n`);
  }

  error(line: string): void {
    this.copy('error', line);
    this.stderr.write(`${this.c.red('error:')} ${line}\n`);
  }

  /** A line on a terminal's stderr that replaces the previous one (a countdown); '' clears it. */
  statusLine(line: string): void {
    if (this.stderrIsTTY) this.stderr.write(`\r\x1b[2K${line}`);
  }

  /** Text as it is, no newline added (stdout): a script to be sourced, say. */
  text(chunk: string): void {
    this.stdout.write(chunk);
  }

  json(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON object per line, for streams. */
  ndjson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /**
   * A sentence of data (stdout), wrapped at spaces to the width; continuation lines are indented.
   */
  paragraph(line: string): void {
    for (const l of wrap(line, this.width)) this.data(l);
  }

  /**
   * An aligned table fitted to the width: the least important columns hidden (said on stderr),
   * then shortenable ones cut with `…` (lib/table.ts).
   */
  table(columns: readonly Column[], rows: readonly (readonly Cell[])[]): void {
    const { lines, hidden } = layoutTable(columns, rows, this.width, (s) => this.c.bold(s));
    this.lines(lines);
    if (hidden.length) this.info(this.c.dim(`${hidden.length} column${hidden.length === 1 ? '' : 's'} hidden; --wide shows all`));
  }
}

/** `COLUMNS` when set to a number (as terminals and users set it), else what the terminal says. */
function terminalWidth(stdout: NodeJS.WriteStream, env: NodeJS.ProcessEnv): number {
  const fromEnv = /^\d+$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : 0;
  return fromEnv > 0 ? fromEnv : stdout.columns > 0 ? stdout.columns : 80;
}

function wrap(text: string, width: number | undefined): string[] {
  if (width === undefined || visibleLength(text) <= width) return [text];
  const indent = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = indent;
  for (const word of text.slice(indent.length).split(' ')) {
    if (line.trim() === '') line += word;
    else if (visibleLength(`${line} ${word}`) > width) {
      lines.push(line);
      line = `${indent}  ${word}`;
    } else line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}
