import { Chalk, type ChalkInstance } from 'chalk';

/**
 * The one place that knows about streams, TTYs and colour (CLI.md): data to stdout, messages to
 * stderr; colour only on a TTY and never with NO_COLOR, TERM=dumb or --no-color.
 */
export class Output {
  readonly color: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly c: ChalkInstance;

  constructor(
    options: { noColor?: boolean; json?: boolean } = {},
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.stdoutIsTTY = Boolean(stdout.isTTY);
    this.stderrIsTTY = Boolean(stderr.isTTY);
    this.color = this.stdoutIsTTY && !options.noColor && !options.json && !env.NO_COLOR && env.TERM !== 'dumb';
    // chalk 5 ignores NO_COLOR, so the level is set here rather than trusting its detection.
    this.c = new Chalk({ level: this.color ? 1 : 0 });
  }

  /** A line of data (stdout). */
  data(line = ''): void {
    this.stdout.write(`${line}\n`);
  }

  /** A progress or status message (stderr). */
  info(line: string): void {
    this.stderr.write(`${line}\n`);
  }

  warn(line: string): void {
    this.stderr.write(`${this.c.yellow('warning:')} ${line}\n`);
  }

  error(line: string): void {
    this.stderr.write(`${this.c.red('error:')} ${line}\n`);
  }

  json(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON object per line, for streams. */
  ndjson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A plain aligned table; `align` marks right-aligned (numeric) columns. */
  table(headers: string[], rows: (string | number)[][], align: ('l' | 'r')[] = []): void {
    for (const line of formatTable(headers, rows, align, (s) => this.c.bold(s))) this.data(line);
  }
}

const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export function formatTable(headers: string[], rows: (string | number)[][], align: ('l' | 'r')[] = [], bold: (s: string) => string = (s) => s): string[] {
  const cells = rows.map((r) => r.map((v) => String(v)));
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...cells.map((r) => visibleLength(r[i] ?? ''))));
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i]! - visibleLength(text)));
    return align[i] === 'r' ? gap + text : text + gap;
  };
  const lines = [bold(headers.map(pad).join('  ').trimEnd())];
  for (const r of cells) lines.push(headers.map((_, i) => pad(r[i] ?? '', i)).join('  ').trimEnd());
  return lines;
}
