/**
 * CSV as ptexec reads it (target files, TCA input, risk group files, broker instrument dumps),
 * in the manner of RFC 4180: fields separated by commas; a field whose first non-blank
 * character is a double quote is quoted, may hold commas and line breaks, and writes a quote as
 * two (`"Say ""hi"""`); a quote anywhere else is an ordinary character. Text after a closing
 * quote is kept (`"a"b` is `ab`). An unterminated quote runs to the end of the input.
 */

/** One record and where the text after it starts. */
interface CsvRecord {
  cells: string[];
  next: number;
  /** Line breaks inside quoted fields of the record. */
  quotedLineBreaks: number;
  unterminated: boolean;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text[i] !== ' ' && text[i] !== '\t') return false;
  return true;
}

/** Reads the record starting at `start`; with `lineBreaks`, an unquoted CR, LF or CRLF ends it. */
function readRecord(text: string, start: number, lineBreaks: boolean): CsvRecord {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  let quotedLineBreaks = 0;
  let i = start;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') quotedLineBreaks++;
        cell += ch;
      }
    } else if (ch === '"' && !wasQuoted && isBlank(cell)) {
      quoted = wasQuoted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      wasQuoted = false;
    } else if (lineBreaks && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      break;
    } else cell += ch;
  }
  cells.push(cell);
  return { cells, next: i, quotedLineBreaks, unterminated: quoted };
}

/** The fields of one line of a line-oriented file (the caller has split the lines). */
export function splitCsvLine(line: string): string[] {
  return readRecord(line, 0, false).cells;
}

export interface CsvRow {
  /** Line of the file the row starts on, from 1. */
  line: number;
  cells: string[];
}

/**
 * Every record of a CSV text with the line it starts on; blank lines are skipped. Quoted fields
 * may span lines. `unterminatedLine` is the line of a record whose quote never closes.
 */
export function parseCsvRows(text: string): { rows: CsvRow[]; unterminatedLine?: number } {
  const rows: CsvRow[] = [];
  let line = 1;
  for (let at = 0; at < text.length; ) {
    const record = readRecord(text, at, true);
    if (record.unterminated) return { rows, unterminatedLine: line };
    if (!(record.cells.length === 1 && record.cells[0]!.trim() === '')) rows.push({ line, cells: record.cells });
    line += record.quotedLineBreaks + 1;
    at = record.next;
  }
  return { rows };
}
