/**
 * The one table layout every command uses. A table that is wider than the terminal first loses
 * its least important columns, then shortens the columns allowed to be shortened (text such as
 * reasons, notes, sources) with `…`. Symbols, ids and numbers are never shortened: a cut number is
 * a wrong number.
 */
export interface Column {
  header: string;
  /** Numbers are right-aligned (and their headers with them). */
  align?: 'left' | 'right';
  /**
   * How long the column stays when the table is too wide: the lowest priority is hidden first
   * (the rightmost of equals first). No priority: the column is always shown.
   */
  priority?: number;
  /** The column may be shortened with `…` to fit the terminal. */
  truncate?: boolean;
  /** A shortened column keeps at least this many characters (default 8). */
  minWidth?: number;
  /** On a terminal, a shortenable column is never wider than this. */
  maxWidth?: number;
}

export type Cell = string | number;

export interface TableLayout {
  lines: string[];
  /** Headers of the columns left out to fit the width. */
  hidden: string[];
}

const GAP = 2;
const DEFAULT_MIN_WIDTH = 8;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Characters shown: code points, colour codes left out. */
export function visibleLength(text: string): number {
  const plain = text.includes('\u001b') ? text.replace(ANSI, '') : text;
  let length = plain.length;
  for (let i = 0; i < plain.length - 1; i++) {
    const c = plain.charCodeAt(i);
    // A surrogate pair is one code point (as [...text] counts it).
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = plain.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) (length--, i++);
    }
  }
  return length;
}

/** `text` cut to `width` visible characters, ending in `…` when cut; colour codes are kept. */
export function truncateVisible(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let shown = 0;
  let coloured = false;
  for (const part of text.split(/(\u001b\[[0-9;]*m)/)) {
    if (shown === width - 1) break;
    if (part.startsWith('\u001b[')) {
      out += part;
      coloured = true;
      continue;
    }
    const chars = [...part].slice(0, width - 1 - shown);
    out += chars.join('');
    shown += chars.length;
  }
  return `${out}…${coloured ? '\u001b[0m' : ''}`;
}

/**
 * Lays out `rows` under `columns` within `width` visible characters (undefined: no limit, every
 * column at full width). Only as many columns are hidden as needed for the rest to fit with the
 * shortenable ones at their minimum width; the room left is then shared among those.
 */
export function layoutTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], width?: number, bold: (s: string) => string = (s) => s): TableLayout {
  // Each cell's text and visible length are worked out once: a report can have 50,000 rows.
  const count = columns.length;
  const cells = rows.map((r) => {
    const texts = new Array<string>(count);
    for (let i = 0; i < count; i++) texts[i] = String(r[i] ?? '');
    return texts;
  });
  const lengths = new Int32Array(cells.length * count);
  const natural = columns.map((c) => visibleLength(c.header));
  cells.forEach((texts, k) => {
    for (let i = 0; i < count; i++) {
      const length = visibleLength(texts[i]!);
      lengths[k * count + i] = length;
      if (length > natural[i]!) natural[i] = length;
    }
  });
  const limit = width ?? Infinity;
  const full = natural.map((w, i) => (width !== undefined && columns[i]!.truncate && columns[i]!.maxWidth ? Math.min(w, columns[i]!.maxWidth!) : w));
  const least = full.map((w, i) => (columns[i]!.truncate ? Math.min(w, columns[i]!.minWidth ?? DEFAULT_MIN_WIDTH) : w));

  const shown = columns.map(() => true);
  const span = (widths: number[]) => {
    const kept = widths.filter((_, i) => shown[i]);
    return kept.reduce((a, w) => a + w, 0) + GAP * Math.max(0, kept.length - 1);
  };
  const hideOrder = columns
    .map((c, i) => ({ i, priority: c.priority }))
    .filter((c): c is { i: number; priority: number } => c.priority !== undefined)
    .sort((a, b) => a.priority - b.priority || b.i - a.i);
  for (const { i } of hideOrder) {
    if (span(least) <= limit) break;
    shown[i] = false;
  }

  const widths = shortened(columns, full, least, shown, limit - span(full.map((w, i) => (columns[i]!.truncate ? 0 : w))));
  const visible = columns.map((_, i) => i).filter((i) => shown[i]);
  const separator = ' '.repeat(GAP);
  const line = (texts: readonly string[], length: (i: number) => number) => {
    let out = '';
    for (let k = 0; k < visible.length; k++) {
      const i = visible[k]!;
      let fitted = texts[i]!;
      let shownLength = length(i);
      if (shownLength > widths[i]!) {
        fitted = truncateVisible(fitted, widths[i]!);
        shownLength = visibleLength(fitted);
      }
      const gap = ' '.repeat(Math.max(0, widths[i]! - shownLength));
      if (k > 0) out += separator;
      out += columns[i]!.align === 'right' ? gap + fitted : fitted + gap;
    }
    return out.trimEnd();
  };
  const headers = columns.map((c) => c.header);
  const lines = new Array<string>(cells.length + 1);
  lines[0] = bold(line(headers, (i) => visibleLength(headers[i]!)));
  cells.forEach((texts, k) => (lines[k + 1] = line(texts, (i) => lengths[k * count + i]!)));
  return { lines, hidden: columns.filter((_, i) => !shown[i]).map((c) => c.header) };
}

/**
 * Widths of the shown columns: full width where everything fits, else the shortenable columns
 * get their minimum and share what is left of the `room` the others leave, those that need
 * least served first.
 */
function shortened(columns: readonly Column[], full: number[], least: number[], shown: boolean[], room: number): number[] {
  const widths = [...full];
  const flexible = columns.map((c, i) => i).filter((i) => shown[i] && columns[i]!.truncate);
  if (flexible.reduce((a, i) => a + full[i]!, 0) <= room) return widths;
  let extra = room - flexible.reduce((a, i) => a + least[i]!, 0);
  flexible.sort((a, b) => full[a]! - least[a]! - (full[b]! - least[b]!));
  flexible.forEach((i, k) => {
    const more = Math.max(0, Math.min(full[i]! - least[i]!, Math.floor(extra / (flexible.length - k))));
    widths[i] = least[i]! + more;
    extra -= more;
  });
  return widths;
}
