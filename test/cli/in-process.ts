import { Console } from 'node:console';
import { Readable, Writable } from 'node:stream';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliResult } from './cli-harness.js';

/**
 * Runs the built CLI (the same bundle `bin/run.js` loads, the same oclif entry, the same argv)
 * inside the test process instead of spawning Node: a spawned `ptexec` costs 0.3–1 s of cold
 * start, an in-process one a few milliseconds once the bundle is loaded. For the length of the
 * run the process's environment, working directory, standard streams, exit code and `exit` are
 * the command's own, exactly as a child process would see them (streams are pipes, not
 * terminals), and restored afterwards. What only a real process can show (the launcher, signals,
 * crashes, a terminal) stays in subprocess tests (`CliSandbox.spawn`).
 */
export interface InProcessOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
  /**
   * The command kills itself (`process.kill(process.pid, signal)`, the crash tests' failpoints):
   * called at that instant, when the files on disk are what the kill would leave; the command
   * is then unwound and what it does afterwards is not output.
   */
  onSelfKill?: (signal: string) => void;
}

/** Thrown where a command killed itself, to unwind it. */
class SelfKilled extends Error {}

type Execute = (options: { dir: string; args: string[] }) => Promise<unknown>;
const bundles = new Map<string, Promise<Execute>>();

function loadBundle(root: string): Promise<Execute> {
  let bundle = bundles.get(root);
  if (!bundle) {
    bundle = import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href).then((m: { execute: Execute }) => m.execute);
    bundles.set(root, bundle);
  }
  return bundle;
}

/** Commands share the process's streams and environment, so they take turns. */
let queue: Promise<unknown> = Promise.resolve();

/** A pipe the command writes to; nothing written after the process would have exited is kept. */
function collector(exited: () => boolean): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!exited()) stream.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string; isTTY: boolean };
  stream.text = '';
  stream.isTTY = false;
  return stream;
}

function replaceProcessProperty(name: 'stdin' | 'stdout' | 'stderr', value: unknown): () => void {
  const original = Object.getOwnPropertyDescriptor(process, name)!;
  Object.defineProperty(process, name, { configurable: true, enumerable: original.enumerable, get: () => value });
  return () => Object.defineProperty(process, name, original);
}

export function runInProcess(args: string[], options: InProcessOptions): Promise<CliResult> {
  const turn = queue.then(() => runNow(args, options));
  queue = turn.catch(() => undefined);
  return turn;
}

async function runNow(args: string[], options: InProcessOptions): Promise<CliResult> {
  const execute = await loadBundle(options.root);
  let exited: number | undefined;
  const stdout = collector(() => exited !== undefined);
  const stderr = collector(() => exited !== undefined);
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]) as Readable & { isTTY?: boolean };
  stdin.isTTY = false;
  const saved = { env: process.env, cwd: process.cwd(), exit: process.exit, kill: process.kill, exitCode: process.exitCode, console: globalThis.console };
  // oclif prints through `console`, which holds on to the streams it first wrote to.
  globalThis.console = new Console({ stdout, stderr });
  const restores = [replaceProcessProperty('stdout', stdout), replaceProcessProperty('stderr', stderr), replaceProcessProperty('stdin', stdin)];
  process.env = { ...options.env, OCLIF_DISABLE_ENGINE_WARNING: '1' };
  process.exitCode = undefined;
  // oclif ends every failed command with process.exit (its last step); the process would end
  // there, so the code is kept and whatever comes after is not output.
  process.exit = ((code?: number | string | null) => {
    exited ??= Number(code ?? process.exitCode ?? 0);
  }) as typeof process.exit;
  process.kill = ((pid: number, signal: string | number = 'SIGTERM') => {
    if (pid !== process.pid) return saved.kill.call(process, pid, signal);
    if (!options.onSelfKill) throw new Error(`runInProcess: the command killed itself with ${signal}; run it in a subprocess`);
    if (exited === undefined) options.onSelfKill(String(signal));
    exited ??= 128 + (typeof signal === 'number' ? signal : (osConstants.signals[signal as NodeJS.Signals] ?? 0));
    throw new SelfKilled(String(signal));
  }) as typeof process.kill;
  if (options.cwd) process.chdir(options.cwd);
  try {
    await execute({ dir: pathToFileURL(join(options.root, 'bin', 'run.js')).href, args });
  } catch (err) {
    if (exited === undefined) {
      // What Node does with an uncaught error: the trace on stderr, exit 1.
      stderr.text += `${(err as Error).stack ?? String(err)}\n`;
      exited = 1;
    }
  } finally {
    const code = exited ?? Number(process.exitCode ?? 0);
    process.chdir(saved.cwd);
    process.exit = saved.exit;
    process.kill = saved.kill;
    process.exitCode = saved.exitCode;
    process.env = saved.env;
    globalThis.console = saved.console;
    for (const restore of restores) restore();
    exited = code;
  }
  return { code: exited, stdout: stdout.text, stderr: stderr.text };
}
