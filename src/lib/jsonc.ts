/**
 * JSON with comments, as config.json may be written (like tsconfig.json): `//` and block comments
 * and trailing commas are blanked out, so positions in JSON.parse's errors still point at the
 * right place; text inside strings is left alone.
 */
export function stripJsonComments(text: string): string {
  return blankOutside(blankOutside(text, commentAt), trailingCommaAt);
}

/** Length of a comment starting at `i`, or 0. */
function commentAt(text: string, i: number): number {
  if (text[i] !== '/') return 0;
  if (text[i + 1] === '/') {
    const end = text.indexOf('\n', i);
    return (end === -1 ? text.length : end) - i;
  }
  if (text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return (end === -1 ? text.length : end + 2) - i;
  }
  return 0;
}

/** 1 for a comma followed only by whitespace before a closing bracket, else 0. */
function trailingCommaAt(text: string, i: number): number {
  return text[i] === ',' && /^\s*[}\]]/.test(text.slice(i + 1)) ? 1 : 0;
}

/** Replaces what `match` finds outside JSON strings with spaces (newlines kept). */
function blankOutside(text: string, match: (text: string, i: number) => number): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      out += text.slice(start, ++i);
      continue;
    }
    const length = match(text, i);
    if (length > 0) {
      out += text.slice(i, i + length).replace(/[^\n]/g, ' ');
      i += length;
    } else {
      out += text[i++];
    }
  }
  return out;
}
