import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, ROOT } from './cli-harness.js';

/**
 * The dashboard in a real terminal: `ptexec rebalance` in one tmux pane (fixed size), `ptexec
 * watch` in a second, both read from the screen with capture-pane.
 */
const SESSION = `ptexec-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const capture = (pane: string) => tmux('capture-pane', '-p', '-t', `${SESSION}:0.${pane}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForScreen(pane: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const start = Date.now();
  for (;;) {
    const screen = capture(pane);
    if (pattern.test(screen)) return screen;
    if (Date.now() - start > timeoutMs) throw new Error(`pane ${pane} never showed ${pattern}:\n${screen}`);
    await sleep(100);
  }
}

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => {
  try {
    tmux('kill-session', '-t', SESSION);
  } catch {
    // Already gone.
  }
  box.cleanup();
});

describe('dashboard in a real terminal (tmux)', () => {
  it('shows progress, fills and the final state, keeps running after q then r; ptexec watch in a second pane shows the same figures', async () => {
    const env = Object.entries(box.env())
      .filter(([k]) => k.startsWith('PTEXEC_') || k.startsWith('XDG_'))
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    const bin = join(ROOT, 'bin', 'run.js');
    const target = join(ROOT, 'examples', 'weights.csv');
    // TERM and colour as a user's terminal has them; the run takes a few seconds at 120×.
    const rebalance = `env -u NO_COLOR -u CI TERM=xterm-256color ${env} node ${bin} rebalance ${target} --yes --speed 120 --algo twap --duration 10m --slices 5; echo "EXIT=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '40', rebalance);

    const running = await waitForScreen('0', /RUNNING/, 30_000);
    // q asks whether to stop the run this process holds; r keeps it running on the live screen.
    tmux('send-keys', '-t', `${SESSION}:0.0`, 'q');
    await waitForScreen('0', /keep it running/, 10_000);
    tmux('send-keys', '-t', `${SESSION}:0.0`, 'r');
    // The question goes and the dashboard goes on (not left frozen above progress lines).
    await waitForScreen('0', /^(?![\s\S]*keep it running)[\s\S]*RUNNING[\s\S]*q stop/, 10_000);
    expect(running).toMatch(/SYMBOL\s+SIDE\s+ALGO\s+FILLED/);
    expect(running).toMatch(/TOTALS/);
    expect(running).toMatch(/SETTLEMENT/);
    const progress = await waitForScreen('0', /█/, 20_000);
    // The fills log: one line per fill, or per symbol when fills come in bursts.
    expect(progress).toMatch(/BUY\s+\S+\s+\d[\d,]*( in \d+ fills)? @ (avg )?[\d.]+/);

    tmux('split-window', '-t', `${SESSION}:0`, '-v', '-l', '20', `env -u NO_COLOR -u CI TERM=xterm-256color ${env} node ${bin} watch; sleep 60`);
    await waitForScreen('1', /(RUNNING|COMPLETED)\s+run \w+/, 30_000);

    const final = await waitForScreen('0', /EXIT=\d+/, 60_000);
    expect(final).toMatch(/Run (\w+): completed; 10\/10 legs complete\./);
    expect(final).toMatch(/EXIT=0/);
    const runId = /Run (\w+): completed/.exec(final)![1]!;

    const watched = await waitForScreen('1', /COMPLETED/, 20_000);
    expect(watched).toContain(`run ${runId}`);
    const db = new Database(box.db, { readonly: true });
    const traded = db.prepare('SELECT sum(quantity * price) FROM fills WHERE run_id = ?').pluck().get(runId) as number;
    const quantity = db.prepare('SELECT sum(quantity) FROM fills WHERE run_id = ?').pluck().get(runId) as number;
    db.close();
    const money = (traded / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(watched).toContain(`traded ₹${money}`);
    expect(watched).toContain(`fill rate 100% (${quantity.toLocaleString('en-IN')}/${quantity.toLocaleString('en-IN')})`);
    // The run's own dashboard showed the same totals line before it closed.
    expect(capture('0') + running).not.toMatch(/this is a bug/);
  });
});
