/*
 * Kept free of imports so that mapping errors to exit codes does not load zod or the schemas:
 * every command imports the error mapping.
 */

/**
 * Where in an input file something is: the file as the user named it, and the CSV line (or the
 * line where JSON stops parsing) or the JSON path, and the field or column.
 */
export interface InputPlace {
  file: string;
  line?: number;
  /** A JSON path: `$.positions[2].quantity`. */
  path?: string;
  field?: string;
}

/**
 * One problem with an input file (a target portfolio, a TCA input, the configuration): where it
 * is, what is wrong and, where it is not part of the message, how to fix it. `--json` prints
 * these as the error's `issues` (README "Output contract").
 */
export interface InputIssue extends InputPlace {
  message: string;
  fix?: string;
}

/**
 * The place as messages write it: `portfolio.csv:4 (quantity)`, `portfolio.json
 * $.positions[3].quantity`, `portfolio.json $.positions (line 2)`, `portfolio.csv:1`.
 */
export function placeText(place: InputPlace): string {
  if (place.path !== undefined) return `${place.file} ${place.path}${place.line === undefined ? '' : ` (line ${place.line})`}`;
  if (place.line !== undefined) return `${place.file}:${place.line}${place.field === undefined ? '' : ` (${place.field})`}`;
  return place.field === undefined ? place.file : `${place.file} (${place.field})`;
}

/** `place: message`, one line per issue in human output. */
export function issueText(issue: InputIssue): string {
  return `${placeText(issue)}: ${issue.message}${issue.fix ? ` (${issue.fix})` : ''}`;
}

/** A field of a line or an object: the path gains the field (JSON), or the line names it (CSV). */
export function fieldOf(place: InputPlace, field: string): InputPlace {
  return place.path !== undefined ? { file: place.file, path: `${place.path}.${field}`, field } : { file: place.file, line: place.line, field };
}

/** `$.positions[2].quantity` from a parser's path (zod's), with its last key as the field. */
export function jsonPlace(file: string, path: readonly PropertyKey[]): InputPlace {
  const last = path.at(-1);
  return { file, path: path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : `${acc}.${String(k)}`), '$'), field: typeof last === 'string' ? last : undefined };
}
