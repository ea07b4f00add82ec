import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { IO, type Terminal } from '../../src/lib/io.js';

/** A stream standing in for a terminal or a pipe, collecting what is written to it. */
export function fakeStream(isTTY: boolean, columns = 100): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  let written = '';
  stream.on('data', (d: Buffer) => (written += d.toString()));
  Object.assign(stream, { isTTY, columns, text: () => written });
  return stream;
}

/**
 * An IO over fake streams, for use cases run in-process: `input` is what the user types (or what
 * is piped in), `tty` which streams are terminals. Signals are raised with `signals.emit('SIGINT')`;
 * `exits` records what the process would have exited with.
 */
export function fakeIO(options: { tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean }; input?: string; env?: NodeJS.ProcessEnv; json?: boolean } = {}) {
  const stdout = fakeStream(options.tty?.stdout ?? false);
  const stderr = fakeStream(options.tty?.stderr ?? false);
  const stdinStream = new PassThrough() as unknown as NodeJS.ReadStream;
  Object.assign(stdinStream, { isTTY: options.tty?.stdin ?? false });
  if (options.input !== undefined) stdinStream.end(options.input);
  let stdinOpened = 0;
  const signals = new EventEmitter();
  const exits: number[] = [];
  const terminal: Terminal = {
    stdout,
    stderr,
    stdin: () => (stdinOpened++, stdinStream),
    // A test never reaches the user's own data folder (their database, their imports): without one of its own it gets a scratch folder.
    env: withScratchData(options.env ?? { TERM: 'xterm-256color' }),
    signals,
    exit: (code: number) => {
      exits.push(code);
      throw new Error(`exit ${code}`);
    },
  };
  const io = new IO({ noColor: true, json: options.json }, terminal);
  return { io, stdout, stderr, signals, exits, stdinOpened: () => stdinOpened };
}

let scratchData: string | undefined;

function withScratchData(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.XDG_DATA_HOME || env.PTEXEC_DB) return env;
  if (!scratchData) {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-test-data-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratchData = dir;
  }
  return { ...env, XDG_DATA_HOME: scratchData };
}
