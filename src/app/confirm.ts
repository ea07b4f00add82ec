import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { IO } from '../lib/io.js';

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
  io: Pick<IO, 'interactive' | 'confirm' | 'info'>;
}): Promise<boolean> {
  if (options.yes) return true;
  if (options.io.interactive) return options.io.confirm(options.question);
  if (options.withoutTerminal === 'refuse') throw new InvalidInputError(`no terminal to ask: ${options.unattended}`, 'add --yes to confirm');
  options.io.info(`no terminal to ask: ${options.unattended} (--yes skips this note)`);
  return true;
}
