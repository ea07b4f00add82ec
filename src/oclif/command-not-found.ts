import type { Config } from '@oclif/core/interfaces';
import type { Hook } from '@oclif/core/hooks';
import { unknownCommand } from '../lib/did-you-mean.js';
import { errorJson } from '../lib/errors.js';
import { ExitCode } from '../lib/exit-codes.js';
import { IO } from '../lib/io.js';

/**
 * oclif's `command_not_found` hook: a mistyped command is a usage error (exit 2) named as the user
 * typed it, with the closest commands. oclif loads this file only when no command matched.
 */
const hook: Hook<'command_not_found'> = async function ({ id, argv = [], config }) {
  const { message, hint } = unknownCommand(id.split(':'), commandWords(config));
  // `--json` anywhere before `--` asks for JSON, even where oclif read it as the command (`ptexec --json runs`).
  const words = [...id.split(':'), ...argv];
  const given = words.slice(0, words.includes('--') ? words.indexOf('--') : undefined);
  const json = given.includes('--json');
  const out = new IO({ json, noColor: given.includes('--no-color') });
  if (json) out.json({ error: errorJson({ message, details: [], hint, exitCode: ExitCode.usage, bug: false, issues: [] }) });
  out.error(message);
  out.info(`  ${hint}`);
  out.setExitCode(ExitCode.usage);
};

export default hook;

/** Every visible command and alias as typed: `runs show`. */
export function commandWords(config: Config): string[] {
  return config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]).map((c) => c.replaceAll(':', ' '));
}
