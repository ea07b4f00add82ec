/**
 * Durations as people write them in flags and target files: `90s`, `30m`, `1h`, `2h30m`,
 * `1.5h`, `500ms`. A bare number is refused on purpose: "30" could be seconds or minutes.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/**
 * The longest horizon a leg may work: a day covers any exchange session (NSE's is 6h15m, US
 * markets' 6h30m), and a longer one is a typo (`99999h`) that would only keep the engine busy.
 */
export const MAX_DURATION_MS = 24 * 3_600_000;

/** How to write one, for messages. */
export const DURATION_FORMAT = 'write it with a unit: 90s, 30m, 1h or 2h30m (at most 24h)';

/** A duration that cannot be used; `problem` completes a sentence naming it (`duration = "x" …`). */
export class DurationError extends RangeError {
  constructor(
    text: string,
    readonly problem: string,
  ) {
    super(`duration "${text}" ${problem}; ${DURATION_FORMAT}`);
    this.name = 'DurationError';
  }
}

export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  if (input === '') throw new DurationError(text, 'is empty');
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const match = PART.exec(input);
    if (!match) throw new DurationError(text, 'is not a duration');
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  const ms = Math.round(total);
  if (!(ms > 0)) throw new DurationError(text, 'must be longer than zero');
  if (ms > MAX_DURATION_MS) throw new DurationError(text, `is longer than ${formatDuration(MAX_DURATION_MS)}, the longest a leg may work`);
  return ms;
}

/** The inverse for display: 9_000_000 → "2h30m", 90_000 → "1m30s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`invalid duration: ${ms}`);
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return text;
}
