import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { splitCsvLine } from '../../market/csv.js';

/**
 * The symbol → group mapping for group (sector) weight limits: CSV with a `symbol,group`
 * header (fields may be quoted: `TCS,"IT, services"`), or a JSON object `{"SYMBOL": "group"}`.
 * Keys may carry an exchange (`NSE:TCS`).
 */
export function parseGroupMapping(text: string, origin: string): Map<string, string> {
  const trimmed = text.trim();
  const groups = new Map<string, string>();
  if (trimmed.startsWith('{')) {
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch (err) {
      throw new InvalidInputError(`${origin}: not valid JSON (${(err as Error).message})`);
    }
    for (const [symbol, group] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof group !== 'string' || !group.trim()) throw new InvalidInputError(`${origin}: group of ${symbol} must be a non-empty string`);
      groups.set(symbol.trim().toUpperCase(), group.trim());
    }
    return groups;
  }
  const lines = trimmed.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const symbolAt = header.indexOf('symbol');
  const groupAt = header.findIndex((h) => h === 'group' || h === 'sector');
  if (symbolAt < 0 || groupAt < 0) throw new InvalidInputError(`${origin}:1: expected a header with "symbol" and "group" columns`);
  lines.slice(1).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const cells = splitCsvLine(line).map((c) => c.trim());
    const symbol = cells[symbolAt];
    const group = cells[groupAt];
    if (!symbol || !group) throw new InvalidInputError(`${origin}:${i + 2}: expected a symbol and a group`);
    groups.set(symbol.toUpperCase(), group);
  });
  return groups;
}
