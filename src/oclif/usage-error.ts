import { alternatives, suggest } from '../lib/did-you-mean.js';
import { InputError } from '../lib/errors.js';

/**
 * oclif's parse errors (unknown flag, a value not among a flag's options, a missing argument)
 * as usage errors in ptexec's words: what was wrong, the closest flag or value, and where the
 * help is. `flags` are the command's long flag names; `command` is its id with spaces.
 */
export function usageError(err: Error & { flags?: string[] }, flags: string[], command: string): InputError {
  const hint = `see \`ptexec ${command} --help\``;
  if (Array.isArray(err.flags) && err.flags.length > 0) {
    const unknown = err.flags.map((f) => f.split('=')[0]!);
    const close = unknown.length === 1 && unknown[0]!.startsWith('--') ? suggest(unknown[0]!.slice(2), flags).map((f) => `--${f}`) : [];
    const message = `unknown flag${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}${close.length ? `; did you mean ${alternatives(close, (f) => f)}?` : ''}`;
    return new InputError(message, hint);
  }
  const text = err.message.replace(/\nSee more help with --help$/, '');
  // A flag's or an argument's value outside its list.
  const option = /^Expected (?:--([\w-]+)=)?(.*) to be one of: (.*)$/s.exec(text);
  if (option) {
    const [, flag, value, list] = option as unknown as [string, string | undefined, string, string];
    const choices = list.split(', ');
    const close = suggest(value, choices);
    return new InputError(`${flag ? `--${flag} ` : ''}${value} is not one of ${choices.join(', ')}${close.length ? `; did you mean ${alternatives(close, (c) => c)}?` : ''}`, hint);
  }
  return new InputError(text.charAt(0).toLowerCase() + text.slice(1), hint);
}
