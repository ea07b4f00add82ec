import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { splitCsvLine } from '../../market/csv.js';

/** One account's part of a per-account target file, as a target file of its own. */
export interface AccountTargetText {
  alias: string;
  text: string;
  source: string;
}

/**
 * A group target file either names an account on every line (a per-account target: each line
 * goes to that account only) or on none (a consolidated target, routed). CSV: an `account`
 * column; JSON: an `account` field on each of `positions`. Undefined for a consolidated target.
 * Each account's lines become a target file of their own, parsed and checked like any other:
 * in CSV the other accounts' lines are left blank, so line numbers in messages are the file's.
 */
export function splitAccountTargets(text: string, source: string, aliases: readonly string[]): AccountTargetText[] | undefined {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trim();
  const split = trimmed.startsWith('{') || /\.json$/i.test(source) ? splitJson(body, source) : splitCsv(body, source);
  if (!split) return undefined;
  const unknown = [...split.keys()].filter((a) => !aliases.includes(a));
  if (unknown.length) {
    throw new InvalidInputError(`${source}: account ${unknown.join(', ')} is not one of the selected accounts`, `selected: ${aliases.join(', ')}; select it with --accounts, or correct the "account" of those lines`);
  }
  return [...split.entries()].map(([alias, t]) => ({ alias, text: t, source: `${source} [account ${alias}]` }));
}

function splitCsv(text: string, source: string): Map<string, string> | undefined {
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (headerIndex < 0) return undefined;
  const header = splitCsvLine(lines[headerIndex]!).map((h) => h.trim().toLowerCase());
  const col = header.indexOf('account');
  if (col < 0) return undefined;
  const out = new Map<string, string[]>();
  const withoutAccount = (cells: string[]) => cells.filter((_, i) => i !== col).map(csvCell).join(',');
  lines.forEach((line, i) => {
    if (i <= headerIndex || line.trim() === '' || line.trim().startsWith('#')) return;
    const cells = splitCsvLine(line);
    const alias = (cells[col] ?? '').trim().toLowerCase();
    if (!alias) throw new InvalidInputError(`${source}:${i + 1}: the line names no account`, 'give every line an account (the "account" column), or drop the column for a consolidated target');
    if (!out.has(alias)) out.set(alias, lines.map((_, j) => (j === headerIndex ? withoutAccount(splitCsvLine(lines[headerIndex]!)) : '')));
    out.get(alias)![i] = withoutAccount(cells);
  });
  return new Map([...out].map(([alias, l]) => [alias, l.join('\n')]));
}

function csvCell(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function splitJson(text: string, source: string): Map<string, string> | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Not JSON after all: the target parser says what is wrong with it.
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { positions?: unknown }).positions)) return undefined;
  const { positions, ...rest } = doc as { positions: unknown[] };
  const named = positions.filter((p) => p && typeof p === 'object' && 'account' in p);
  if (named.length === 0) return undefined;
  const out = new Map<string, unknown[]>();
  positions.forEach((p, i) => {
    const account = p && typeof p === 'object' ? (p as { account?: unknown }).account : undefined;
    if (typeof account !== 'string' || account.trim() === '') {
      throw new InvalidInputError(`${source} $.positions[${i}]: the line names no account`, 'give every position an "account", or none for a consolidated target');
    }
    const { account: _, ...line } = p as Record<string, unknown>;
    const alias = account.trim().toLowerCase();
    out.set(alias, [...(out.get(alias) ?? []), line]);
  });
  return new Map([...out].map(([alias, lines]) => [alias, JSON.stringify({ ...rest, positions: lines }, null, 2)]));
}
