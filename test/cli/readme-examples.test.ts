import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliSandbox, collect, ROOT, type CliResult } from './cli-harness.js';

/**
 * Every command line of the README, run as written, in order, against a sandbox database, as a
 * reader following it would. A line's expected exit code is the `exit N` its comment names, else 0.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Lines that are not run, and why. Everything else runs as the README writes it. */
const SKIPS: { match: RegExp; reason: string }[] = [
  { match: /^(?!ptexec charges ).*(--broker zerodha|-b zerodha|brokers (login|logout) zerodha)/, reason: 'needs a Kite Connect account and a browser login (the Zerodha tests run against the emulator)' },
  { match: /^(?!ptexec charges ).*(--broker upstox|-b upstox|brokers (login|logout) upstox)/, reason: 'needs an Upstox app and a browser login (the Upstox tests run against the emulator)' },
  { match: /^(?!ptexec charges ).*(--broker groww|-b groww|brokers (login|logout) groww)/, reason: 'needs a Groww Trading API subscription (the Groww tests run against the emulator)' },
  { match: /^(?!ptexec charges ).*(--broker fyers|-b fyers|brokers (login|logout) fyers)/, reason: 'needs a Fyers API app and a browser login (the Fyers tests run against the emulator)' },
  { match: /(--broker angelone|-b angelone|brokers (login|logout) angelone)/, reason: 'needs an Angel One account, its PIN and TOTP (the Angel One tests run against the emulator)' },
  { match: /^(?!ptexec charges ).*(--broker schwab|-b schwab|brokers (login|logout) schwab)/, reason: 'needs a Schwab developer app and a browser login (the Schwab tests run against the emulator)' },
  { match: /^(?!ptexec charges ).*(--broker alpaca|-b alpaca|brokers (login|logout) alpaca)/, reason: 'needs an Alpaca API key pair (the Alpaca tests run against the emulator)' },
  { match: /^(?!ptexec charges ).*(--broker ibkr|-b ibkr|brokers (login|logout) ibkr)/, reason: 'needs a running IBKR Client Portal Gateway logged in with a browser (the IBKR tests run against the emulated gateway)' },
];

/** What a line may be changed to, and why; only where the README itself says so. */
const SUBSTITUTIONS: { from: RegExp; to: string; reason: string }[] = [
  { from: /--speed 60\b/, to: '--speed max', reason: 'the README says --speed max runs the same simulated market and finishes at once' },
];

interface Example {
  line: number;
  command: string;
  exitCode: number;
}

/** Command lines of the README's ```sh and ``` blocks: lines that start with `ptexec ` or pipe into it. */
function readmeExamples(): { examples: Example[]; skipped: { line: number; command: string; reason: string }[] } {
  const examples: Example[] = [];
  const skipped: { line: number; command: string; reason: string }[] = [];
  let inBlock = false;
  let runnable = false;
  README.split('\n').forEach((text, i) => {
    const fence = /^```(\w*)/.exec(text);
    if (fence) {
      runnable = !inBlock && (fence[1] === 'sh' || fence[1] === '');
      inBlock = !inBlock;
      return;
    }
    if (!inBlock || !runnable || !/^(ptexec |(echo|cat) [^|]*\| ptexec )/.test(text)) return;
    const [command, comment = ''] = splitComment(text);
    const skip = SKIPS.find((s) => s.match.test(command));
    if (skip) {
      skipped.push({ line: i + 1, command, reason: skip.reason });
      return;
    }
    const substituted = SUBSTITUTIONS.reduce((c, s) => c.replace(s.from, s.to), command);
    examples.push({ line: i + 1, command: substituted, exitCode: Number(/\bexit (\d+)/.exec(comment)?.[1] ?? 0) });
  });
  return { examples, skipped };
}

/** Commands that change nothing a later line reads, unless a flag below makes them write. */
const READS = /^ptexec (positions|runs|orders|fills|tca|pnl|algo preview|watch|paper show|brokers status|charges|config)\b/;
const WRITES = /--confirm|--accept|\binit\b|\bsync\b/;
function reads(command: string): boolean {
  const calls = command.split(/&&|\|/).map((part) => part.trim()).filter((part) => part.startsWith('ptexec '));
  return calls.length > 0 && calls.every((call) => READS.test(call) && !WRITES.test(call));
}

/** Consecutive lines that only read form one batch; every other line is a batch of its own. */
function batches(examples: Example[]): Example[][] {
  const out: Example[][] = [];
  for (const example of examples) {
    const last = out.at(-1);
    if (last && reads(example.command) && reads(last[0]!.command)) last.push(example);
    else out.push([example]);
  }
  return out;
}

/** A shell comment starts at ` #` outside quotes. */
function splitComment(text: string): [string, string?] {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) quote = ch === quote ? '' : quote;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && text[i - 1] === ' ') return [text.slice(0, i).trim(), text.slice(i + 1)];
  }
  return [text.trim()];
}

/**
 * The words of a command line that needs nothing of a shell but quotes: undefined when it has a
 * pipe, a redirection, a variable, a glob or an escape, which only a shell gets right.
 */
function plainWords(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote = '';
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = '';
      else if (quote === '"' && /[$`\\!]/.test(ch)) return undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[|&;<>$`(){}*?[\]\\~!#]/.test(ch)) {
      return undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}

/** The JSON block that follows `heading` in the README (the first one after it). */
function jsonBlockAfter(heading: string): string {
  const start = README.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const m = /```json\n([\s\S]*?)```/.exec(README.slice(start));
  return m![1]!;
}

describe('README examples', () => {
  const sandbox = new CliSandbox();
  // The reader's folder: the project's examples, and `ptexec` on the PATH.
  const cwd = join(sandbox.dir, 'work');
  const bin = join(sandbox.dir, 'bin');
  mkdirSync(cwd);
  mkdirSync(bin);
  symlinkSync(join(ROOT, 'examples'), join(cwd, 'examples'));
  writeFileSync(join(bin, 'ptexec'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'run.js')}" "$@"\n`);
  chmodSync(join(bin, 'ptexec'), 0o755);
  afterAll(() => sandbox.cleanup());

  /**
   * Runs a README line as the reader's shell would. A line that needs no shell (no pipe,
   * redirection, variable or glob: most of them) runs `ptexec` in-process with the same words,
   * folder and environment; `a && b` runs b only when a succeeded.
   */
  async function shell(command: string): Promise<CliResult> {
    const steps = command.split(/\s+&&\s+/).map(plainWords);
    if (steps.every((words) => words?.[0] === 'ptexec')) {
      const all: CliResult = { code: 0, stdout: '', stderr: '' };
      for (const words of steps) {
        const r = await sandbox.run(words!.slice(1), { cwd });
        Object.assign(all, { code: r.code, stdout: all.stdout + r.stdout, stderr: all.stderr + r.stderr });
        if (r.code !== 0) break;
      }
      return all;
    }
    const child = spawn('bash', ['-o', 'pipefail', '-c', command], { cwd, env: { ...sandbox.env(), PATH: `${bin}:${process.env.PATH}` }, stdio: ['pipe', 'pipe', 'pipe'] });
    return collect(child, undefined, 120_000);
  }

  const { examples, skipped } = readmeExamples();

  it('finds the tour and the examples of every section, and says why it skips a line', () => {
    expect(examples.length).toBeGreaterThan(40);
    expect(examples[0]!.command).toBe('ptexec paper reset');
    for (const s of skipped) expect(s.reason).toBeTruthy();
    // Only the real brokers' lines are skipped (a login needs the broker's own account): a handful each.
    const perSkip = SKIPS.map((rule) => skipped.filter((s) => s.reason === rule.reason).length);
    for (const n of perSkip) expect(n).toBeLessThan(8);
    expect(skipped.length).toBe(perSkip.reduce((a, b) => a + b, 0));
  });

  it(
    'every command line runs as written, in order, with the exit code the README gives',
    async () => {
      // The --risk example of "Pre-trade risk", saved as the README says.
      writeFileSync(join(cwd, 'risk.json'), jsonBlockAfter('## Pre-trade risk'));
      // Lines that only read run together; any other line waits for what comes before it.
      for (const batch of batches(examples)) {
        const results = await Promise.all(batch.map((example) => shell(example.command)));
        results.forEach((r, i) => {
          const example = batch[i]!;
          expect(r.code, `README.md:${example.line}: ${example.command}\n${r.stdout.slice(-2000)}\n${r.stderr}`).toBe(example.exitCode);
        });
      }
    },
    300_000,
  );

  it('the configuration example works as written: charges.file is read from the config folder, or named where it was looked for', async () => {
    const configDir = join(sandbox.dir, 'config', 'ptexec');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'config.json'), jsonBlockAfter('### Configuration'));
    const missing = await shell('ptexec charges --side buy --qty 100 --price 2500.50');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`charges.file: cannot read ${join(configDir, 'my-schedules.json')} (ENOENT)`);
    writeFileSync(join(configDir, 'my-schedules.json'), JSON.stringify({ schedules: { paper: { name: 'paper like Groww', markets: [{ same_as: 'groww' }] } } }));
    const [charges, shown] = await Promise.all([shell('ptexec charges --side buy --qty 100 --price 2500.50 --json'), shell('ptexec config --json')]);
    expect(charges.code, charges.stderr).toBe(0);
    expect(JSON.parse(charges.stdout)).toMatchObject({ broker: 'paper', schedule: 'paper like Groww' });
    const values = (JSON.parse(shown.stdout) as { values: { key: string; value: unknown; source: string }[] }).values;
    expect(values.find((v) => v.key === 'paper.seed')).toMatchObject({ value: 42, source: 'file' });
    expect(values.find((v) => v.key === 'charges.file')).toMatchObject({ value: join(configDir, 'my-schedules.json'), source: 'file' });
  });
});
