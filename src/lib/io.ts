import { interruptOnSignals, processSignals, type Interrupt, type SignalSource } from './interrupt.js';
import { Output, type OutputOptions } from './output.js';
import type { TerminalPrompt } from './prompt.js';

/** What the I/O object needs of the process: its streams, environment and signals (fakes in tests). */
export interface Terminal {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Opened on first use: touching `process.stdin` costs every start about 10 ms. */
  stdin: () => NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  signals: SignalSource;
  exit: (code: number) => never;
  /** The code the process ends with once the command returns (absent in fakes: nothing to set). */
  setExitCode?: (code: number) => void;
}

function processTerminal(): Terminal {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: () => process.stdin,
    env: process.env,
    signals: processSignals(),
    exit: (code) => process.exit(code),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/**
 * The one owner of the terminal (CLI.md): the output streams (see Output), standard input, the
 * prompts, whether the dashboard can be drawn, and the stop signals. Use cases get it instead of
 * reading `process`, so that they run in-process against fakes.
 */
export class IO extends Output {
  private readonly terminal: Terminal;
  private openedStdin?: NodeJS.ReadStream;

  constructor(options: OutputOptions = {}, terminal: Partial<Terminal> = {}) {
    const t = { ...processTerminal(), ...terminal };
    super(options, t.stdout, t.stderr, t.env);
    this.terminal = t;
  }

  get env(): NodeJS.ProcessEnv {
    return this.terminal.env;
  }

  get stdin(): NodeJS.ReadStream {
    this.openedStdin ??= this.terminal.stdin();
    return this.openedStdin;
  }

  /** `DEBUG=ptexec`: stack traces for unexpected errors, as `--verbose`. */
  get debug(): boolean {
    return Boolean(this.env.DEBUG?.includes('ptexec'));
  }

  /** The terminal's columns, when stdout is one (help text has its own width rules). */
  get columns(): number | undefined {
    return this.terminal.stdout.isTTY ? this.terminal.stdout.columns : undefined;
  }

  /** The code the process ends with once the command has returned. */
  setExitCode(code: number): void {
    this.terminal.setExitCode?.(code);
  }

  /** A question asked on stderr can be answered on stdin: both are terminals. */
  get interactive(): boolean {
    return Boolean(this.stdin.isTTY && this.stderrIsTTY);
  }

  /** The live dashboard can be drawn: stdout and stdin are terminals that are not dumb, and no `--json`. */
  get dashboard(): boolean {
    return !this.jsonMode && this.stdoutIsTTY && Boolean(this.stdin.isTTY) && this.env.TERM !== 'dumb';
  }

  /** Streams for a screen of its own (the Ink dashboard). */
  get screen(): { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream; signals: SignalSource } {
    // React's development build is several times slower and allocates far more; a CLI that did
    // not ask for it gets the production build (this must happen before React is first loaded).
    this.terminal.env.NODE_ENV ??= 'production';
    return { stdout: this.terminal.stdout, stdin: this.stdin, signals: this.terminal.signals };
  }

  /** Asks a yes/no question on the terminal (stderr), default no. Only called when `interactive`. */
  async confirm(question: string): Promise<boolean> {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: this.stdin, output: this.terminal.stderr });
    try {
      const answer = await rl.question(`${question} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  }

  /** Several questions on the terminal, some hidden (secrets); close it when done. */
  async prompt(): Promise<TerminalPrompt> {
    const { TerminalPrompt } = await import('./prompt.js');
    return new TerminalPrompt(this.stdin, this.terminal.stderr);
  }

  /** The first non-empty line piped in on stdin. */
  async firstLine(): Promise<string> {
    const { firstLine } = await import('./prompt.js');
    return firstLine(this.stdin);
  }

  /** The stop signals, for a run executing in this process (see interruptOnSignals). */
  interruptOnSignals(): Interrupt {
    return interruptOnSignals({ signals: this.terminal.signals, info: (line) => this.info(line), exit: this.terminal.exit, terminalClosed: () => this.ignoreClosedTerminal() });
  }

  /** A closed pipe on stdout (`| head`) ends the process quietly instead of with an EPIPE trace. */
  endOnClosedPipe(): void {
    this.terminal.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.terminal.exit(0);
      throw err;
    });
  }

  /**
   * After SIGHUP the terminal is gone: writing to it fails (EIO). The run still has to save its
   * state and release its lock, so a failed write must not end the process as a crash.
   */
  private ignoreClosedTerminal(): void {
    const streams: NodeJS.EventEmitter[] = [this.terminal.stdout, this.terminal.stderr, ...(this.openedStdin ? [this.openedStdin] : [])];
    for (const stream of streams) if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
  }
}

function ignore(): void {
  // The terminal closed; there is nobody to tell.
}
