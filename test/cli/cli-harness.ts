import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInProcess } from './in-process.js';

/** The package under test; `PTEXEC_CLI_ROOT` points the tests at another built copy. */
export const ROOT = process.env.PTEXEC_CLI_ROOT ?? resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'run.js');
/** `PTEXEC_CLI_SUBPROCESS=1` runs every command as a process of its own, as before the in-process runner. */
const ALWAYS_SPAWN = process.env.PTEXEC_CLI_SUBPROCESS === '1';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  cwd?: string;
  timeoutMs?: number;
  /** A process of its own, as a user's shell would start it (see in-process.ts for what differs). */
  subprocess?: boolean;
  /** In-process only: the command killed itself (see InProcessOptions.onSelfKill). */
  onSelfKill?: (signal: string) => void;
}

/**
 * Runs `ptexec …` (the built CLI) with `env` to completion: in this process (see in-process.ts;
 * commands started together run one after the other), unless `subprocess` asks for a process of
 * its own or a failpoint will kill the process and nothing stands in for the kill (onSelfKill).
 */
export function runCli(args: string[], options: RunOptions & { env: NodeJS.ProcessEnv }): Promise<CliResult> {
  const cwd = options.cwd ?? ROOT;
  // A stand-in for the kill (onSelfKill) needs the command in this process.
  const inProcess = !options.subprocess && (options.onSelfKill !== undefined || (!ALWAYS_SPAWN && !killsItself(options.env)));
  if (inProcess) return runInProcess(args, { root: ROOT, env: options.env, input: options.input, cwd, onSelfKill: options.onSelfKill });
  return collect(spawnCli(args, options.env, cwd), options.input, options.timeoutMs ?? 60_000);
}

/** A crash-test failpoint that kills the process (`PTEXEC_FAILPOINT=name:n`, action `kill`). */
function killsItself(env: NodeJS.ProcessEnv): boolean {
  const spec = env.PTEXEC_FAILPOINT;
  return Boolean(spec) && (spec!.split(':')[2] ?? 'kill') === 'kill';
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A scratch home for one test: its own database, config and data directories. */
export class CliSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'ptexec-cli-'));
  readonly db = join(this.dir, 'ptexec.db');
  extraEnv: Record<string, string> = {};

  env(): NodeJS.ProcessEnv {
    const { PTEXEC_DB: _db, DEBUG: _debug, ...rest } = process.env;
    return { ...rest, PTEXEC_DB: this.db, XDG_CONFIG_HOME: join(this.dir, 'config'), XDG_DATA_HOME: join(this.dir, 'data'), NO_COLOR: '1', ...this.extraEnv };
  }

  /** Runs `ptexec …` (the built CLI) to completion, in this process unless asked otherwise (see runCli). */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return runCli(args, { ...options, env: this.env() });
  }

  spawn(args: string[], cwd = ROOT): ChildProcess {
    return spawnCli(args, this.env(), cwd);
  }

  /**
   * Runs `ptexec …` until the process kills itself at `failpoint` (`PTEXEC_FAILPOINT`), and leaves
   * the database as the kill left it: the files are copied at the moment of the kill (an
   * in-process run keeps its connection open afterwards) and put back. Returns the signal.
   */
  async runKilledAt(failpoint: string, args: string[]): Promise<string | undefined> {
    this.extraEnv.PTEXEC_FAILPOINT = failpoint;
    const copies = ['', '-wal'].map((suffix) => [this.db + suffix, `${this.db}${suffix}.at-kill`] as const);
    let killedBy: string | undefined;
    try {
      await this.run(args, {
        onSelfKill: (signal) => {
          killedBy = signal;
          for (const [from, to] of copies) if (existsSync(from)) copyFileSync(from, to);
        },
      });
    } finally {
      delete this.extraEnv.PTEXEC_FAILPOINT;
    }
    for (const [from, to] of [...copies, [`${this.db}-shm`, ''] as const]) {
      rmSync(from, { force: true });
      if (to && existsSync(to)) renameSync(to, from);
    }
    return killedBy;
  }

  async json<T = Record<string, unknown>>(args: string[], options: { input?: string; subprocess?: boolean } = {}): Promise<{ code: number | null; body: T; stderr: string }> {
    const r = await this.run([...args, '--json'], options);
    let body: T;
    try {
      body = JSON.parse(r.stdout) as T;
    } catch {
      throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
    }
    return { code: r.code, body, stderr: r.stderr };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function collect(child: ChildProcess, input: string | undefined, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ptexec timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

/** Orders the paper broker has received in this database: 0 proves nothing was sent. */
export function paperOrderCount(db: string): number {
  if (!existsSync(db)) return 0;
  const d = new Database(db, { readonly: true });
  try {
    const hasTable = d.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'paper_orders'").pluck().get() as number;
    return hasTable ? (d.prepare('SELECT count(*) FROM paper_orders').pluck().get() as number) : 0;
  } finally {
    d.close();
  }
}

/** One row from the sandbox database (read-only); undefined while the file or its tables do not exist yet. */
export function dbRow<T>(db: string, sql: string, ...args: unknown[]): T | undefined {
  if (!existsSync(db)) return undefined;
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).get(...args) as T | undefined;
  } catch {
    return undefined;
  } finally {
    d.close();
  }
}

/** Polls (never a fixed sleep) until `check` holds, e.g. until a running ptexec has written something. */
export async function waitUntil(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
