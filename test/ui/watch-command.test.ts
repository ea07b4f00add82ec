import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { newEvent } from '../../src/domain/events/index.js';
import { partialRun, T0 } from './fixtures.js';

// `ptexec watch` as a user runs it: the compiled CLI (`npm run build` first), in a subprocess
// whose stdout is a pipe, so it streams NDJSON instead of drawing the dashboard.
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'run.js');
const DAY = 86_400_000;
let dir: string;
let dbPath: string;

function run(args: string[], onSpawn?: (child: ChildProcess) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', PTEXEC_DB: dbPath } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onSpawn?.(child);
  });
}

/** Records the events as the engine did: each at its own wall-clock time, with a market time a day ahead. */
function appendRun(path: string, events = partialRun().events): void {
  const store = openDatabase(path);
  try {
    for (const e of events) {
      if (e.type === 'unknown') continue;
      store.wallClock = () => e.ts;
      store.append(newEvent(e.runId, e.type, e.payload, e.ts + DAY));
    }
  } finally {
    store.close();
  }
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'commands', 'watch.js'))) throw new Error('build the CLI first: npm run build');
  dir = mkdtempSync(join(tmpdir(), 'ptexec-watch-'));
  dbPath = join(dir, 'ptexec.db');
  appendRun(dbPath);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ptexec watch', () => {
  it('prints the latest run’s events as NDJSON and exits when not following', async () => {
    const { code, stdout, stderr } = await run(['watch']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(partialRun().events.length);
    expect(lines[0]).toMatchObject({ seq: 1, run_id: 'r-20261120-ab12', ts: T0, time: new Date(T0).toISOString(), market_ts: T0 + DAY, market_time: new Date(T0 + DAY).toISOString(), type: 'run.created' });
    expect(lines.filter((l) => l.type === 'fill.recorded').map((l) => (l.payload as { trade_id: string }).trade_id)).toEqual(['t1', 't2', 't3']);
  });

  it('names an unknown run and points at `ptexec runs` (exit 2)', async () => {
    const { code, stdout, stderr } = await run(['watch', 'no-such-run']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('no run no-such-run');
    expect(stderr).toContain('ptexec runs');
  });

  it('with --follow streams new events as they are appended and stops when the run ends', async () => {
    let sawFirst: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (sawFirst = resolve));
    const done = run(['watch', 'r-20261120-ab12', '--json', '--follow'], (child) => child.stdout?.on('data', () => sawFirst()));
    await first;
    const store = openDatabase(dbPath);
    try {
      store.append({ runId: 'r-20261120-ab12', type: 'run.alert', payload: { level: 'warn', source: 'broker', message: 'reconnected' } });
      store.append({ runId: 'r-20261120-ab12', type: 'run.status', payload: { status: 'completed' } });
    } finally {
      store.close();
    }
    const { code, stdout } = await done;
    expect(code).toBe(0);
    const streamed = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; market_ts: number | null; market_time: string | null });
    const types = streamed.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['run.alert', 'run.status']);
    // Events recorded outside an engine have no market time.
    expect(streamed.at(-1)).toMatchObject({ market_ts: null, market_time: null });
    expect(types).toHaveLength(partialRun().events.length + 2);
  });
});
