import { createInterface } from 'node:readline/promises';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';

/** Asks a yes/no question on the terminal (stderr), default no. Only called on a TTY. */
export async function confirm(question: string, stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Promise<boolean> {
  const rl = createInterface({ input: stdin, output: stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * Whether a destructive command may go ahead (CLI.md: never require a prompt). `--yes` answers
 * yes; on a terminal the user is asked; without one, `withoutTerminal` decides: `refuse` stops
 * with exit 2 and the hint to add --yes, `proceed` goes ahead and says so on stderr.
 */
export async function confirmDestructive(options: {
  question: string;
  yes: boolean;
  withoutTerminal: 'proceed' | 'refuse';
  /** What is refused, or what goes ahead, when there is no terminal to ask. */
  unattended: string;
  interactive?: boolean;
  ask?: (question: string) => Promise<boolean>;
  note?: (line: string) => void;
}): Promise<boolean> {
  if (options.yes) return true;
  const interactive = options.interactive ?? Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (interactive) return (options.ask ?? confirm)(options.question);
  if (options.withoutTerminal === 'refuse') throw new InvalidInputError(`no terminal to ask: ${options.unattended}`, 'add --yes to confirm');
  (options.note ?? ((line) => process.stderr.write(`${line}\n`)))(`no terminal to ask: ${options.unattended} (--yes skips this note)`);
  return true;
}
