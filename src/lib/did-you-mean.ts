/**
 * "Did you mean" for mistyped command names and flags: the candidates closest to what was typed
 * by Damerau–Levenshtein distance (a swap of two neighbouring letters counts as one edit, the
 * most common typo), plus candidates that start with what was typed.
 */

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates worth suggesting for `typed`, closest first: within a distance that grows with
 * the length of the word (1 for short words, up to a third of the letters), or starting with it.
 */
export function suggest(typed: string, candidates: Iterable<string>, max = 3): string[] {
  const word = typed.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(word, candidate.toLowerCase());
    const prefix = word.length >= 2 && candidate.toLowerCase().startsWith(word);
    if (distance <= limit || prefix) scored.push({ candidate, score: prefix ? Math.min(distance, 1) : distance });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}

/** "`a`", "`a` or `b`", "`a`, `b` or `c`". */
export function alternatives(words: string[], quote = (w: string) => `\`${w}\``): string {
  const quoted = words.map(quote);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/**
 * The message for a command line whose words name no command. `words` are the words oclif read
 * as the command (it stops at the first flag); `ids` are the command ids with their words
 * separated by spaces. Returns the message and, when something is close, the suggestions.
 */
export function unknownCommand(words: string[], ids: string[]): { message: string; hint: string } {
  const known = new Set<string>();
  for (const id of ids) {
    const parts = id.split(' ');
    for (let n = 1; n <= parts.length; n++) known.add(parts.slice(0, n).join(' '));
  }
  // The longest run of leading words that names a command or a topic; the next word is the typo.
  let k = 0;
  while (k < words.length - 1 && known.has(words.slice(0, k + 1).join(' '))) k++;
  const parent = words.slice(0, k).join(' ');
  const typed = words.slice(0, k + 1).join(' ');
  const under = k === 0 ? ids : ids.filter((id) => id.startsWith(`${parent} `));
  const children = [...new Set(under.map((id) => id.split(' ').slice(0, k + 1).join(' ')))];
  const help = parent ? `\`ptexec ${parent} --help\` lists its commands` : '`ptexec help` lists every command';
  if (k > 0 && children.length === 0) {
    return { message: `\`ptexec ${parent}\` takes no argument \`${words[k]}\``, hint: `see \`ptexec ${parent} --help\`` };
  }
  const word = words[k]!;
  let close = suggest(word, children.map((c) => c.split(' ')[k]!)).map((w) => (parent ? `${parent} ${w}` : w));
  // Under a topic every sibling is worth showing (a topic has a handful); at the top level, a
  // subcommand typed without its topic (`ptexec show`) points at the commands it belongs to.
  if (k > 0) close = [...close, ...children.filter((c) => !close.includes(c)).sort()].slice(0, 4);
  else if (close.length === 0) close = ids.filter((id) => id.split(' ').at(-1) === word.toLowerCase() && id.includes(' '));
  const message = `unknown command \`${typed}\`${close.length ? `; did you mean ${alternatives(close)}?` : ''}`;
  return { message, hint: help };
}
