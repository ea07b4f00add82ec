/**
 * Defensive readers for event payloads. The dashboard must keep working when an event type it
 * knows gains or changes fields, and when events of other areas arrive in shapes it has not
 * seen: a field that is missing or of the wrong type reads as `undefined`, never as a crash.
 */

export type Fields = Record<string, unknown>;

export function asFields(value: unknown): Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** The first of `keys` that holds a finite number. */
export function firstNum(fields: Fields, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = num(fields[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The first of `keys` that holds a non-empty string. */
export function firstStr(fields: Fields, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = str(fields[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A human sentence from a reason that may be a string or an object with a message. */
export function reasonText(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  const fields = asFields(value);
  const text = firstStr(fields, 'message', 'reason', 'detail', 'text');
  const rule = firstStr(fields, 'rule', 'code', 'name');
  if (text && rule) return `${rule}: ${text}`;
  return text ?? rule;
}

/** Reasons given as one string, a list of strings or a list of objects, joined for display. */
export function reasonsText(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const parts = value.map(reasonText).filter((t): t is string => t !== undefined);
    return parts.length ? parts.join('; ') : undefined;
  }
  return reasonText(value);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as algorithms declare it in their parameters: milliseconds in a `…Ms` key, minutes
 * in a `…Minutes`/`…Min` key, or a string such as `30m`, `1h30m`, `90s`.
 */
export function durationMs(params: Fields): number | undefined {
  for (const key of ['horizonMs', 'durationMs']) {
    const value = num(params[key]);
    if (value !== undefined && value > 0) return value;
  }
  for (const key of ['horizonMinutes', 'horizonMin', 'durationMinutes', 'durationMin', 'minutes']) {
    const value = num(params[key]);
    if (value !== undefined && value > 0) return value * 60_000;
  }
  for (const key of ['horizon', 'duration']) {
    const text = str(params[key]);
    if (text === undefined) continue;
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|h|m|s)/g)];
    const joined = parts.map((p) => p[0]).join('');
    if (parts.length && joined.replace(/\s/g, '') === text.replace(/\s/g, '')) {
      return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? 'ms'] ?? 0), 0);
    }
  }
  return undefined;
}
