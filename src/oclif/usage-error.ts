import { alternatives, suggest } from '../lib/did-you-mean.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';

/**
 * oclif's parse errors (unknown flag, a value not among a flag's options, a missing argument)
 * as usage errors in ptexec's words, one line each: what was wrong, the closest flag or value,
 * and where the help is. `flags` are the command's long flag names; `command` is its id with
 * spaces.
 */
export function usageError(err: Error & { flags?: string[] }, flags: string[], command: string): InvalidInputError {
  const hint = `see \`ptexec ${command} --help\``;
  if (Array.isArray(err.flags) && err.flags.length > 0) {
    const unknown = err.flags.map((f) => f.split('=')[0]!);
    const close = unknown.length === 1 && unknown[0]!.startsWith('--') ? suggest(unknown[0]!.slice(2), flags).map((f) => `--${f}`) : [];
    const message = `unknown flag${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}${close.length ? `; did you mean ${alternatives(close, (f) => f)}?` : ''}`;
    return new InvalidInputError(message, hint);
  }
  const text = err.message.replace(/\nSee more help with --help$/, '');
  // A flag's or an argument's value outside its list.
  const option = /^Expected (?:--([\w-]+)=)?(.*) to be one of: (.*)$/s.exec(text);
  if (option) {
    const [, flag, value, list] = option as unknown as [string, string | undefined, string, string];
    const choices = list.split(', ');
    const close = suggest(value, choices);
    return new InvalidInputError(`${flag ? `--${flag} ` : ''}${value} is not one of ${choices.join(', ')}${close.length ? `; did you mean ${alternatives(close, (c) => c)}?` : ''}`, hint);
  }
  return new InvalidInputError(oneLine(text), hint);
}

/**
 * oclif's multi-line messages as one line: `missing argument file (…)`, `missing flags --qty,
 * --side`, `--limit: expected an integer but received: x`. (oclif's note under a missing
 * argument, about flags that take several values, is left out: `--param` keeps the file after it.)
 */
function oneLine(text: string): string {
  const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
  const missingArgs = /^Missing \d+ required args?:\n([\s\S]*?)(?:\n\n[\s\S]*)?$/.exec(text);
  if (missingArgs) {
    const args = missingArgs[1]!.split('\n').map((line) => /^(\S+)\s*(.*)$/.exec(line.trim())).filter((m) => m !== null);
    const named = args.map(([, name, about]) => (about ? `${name} (${about})` : name)).join(', ');
    return `missing argument${args.length > 1 ? 's' : ''} ${named}`;
  }
  const several = /^The following errors? occurred:\n([\s\S]*)$/.exec(text);
  if (several) {
    const items = several[1]!.split('\n').map((l) => l.trim()).filter(Boolean);
    const missing = items.map((i) => /^Missing required flag (\S+)$/.exec(i)?.[1]).filter((f) => f !== undefined);
    const others = items.filter((i) => !/^Missing required flag /.test(i)).map((i) => lower(i.replace(/^--([\w-]+)=true /, '--$1 ')));
    return [...(missing.length ? [`missing flag${missing.length > 1 ? 's' : ''} ${missing.map((f) => `--${f}`).join(', ')}`] : []), ...others].join('; ');
  }
  const parsing = /^Parsing (--[\w-]+)\s*\n\s*([\s\S]*)$/.exec(text);
  if (parsing) return `${parsing[1]}: ${lower(parsing[2]!.replace(/\s*\n\s*/g, ' ').trim())}`;
  return lower(text.replace(/\s*\n\s*/g, ' ').trim());
}
