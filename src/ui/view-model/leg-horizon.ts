import type { ExecutionSpec } from '../../domain/plan.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * How long a leg's algorithm works, as its parameters declare it: milliseconds in a `…Ms` key,
 * minutes in a `…Minutes`/`…Min` key, or a string such as `30m`, `1h30m`, `90s`; undefined when
 * they declare none.
 */
export function horizonMs(params: ExecutionSpec['params']): number | undefined {
  for (const key of ['horizonMs', 'durationMs']) {
    const value = params[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  }
  for (const key of ['horizonMinutes', 'horizonMin', 'durationMinutes', 'durationMin', 'minutes']) {
    const value = params[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value * 60_000;
  }
  for (const key of ['horizon', 'duration']) {
    const text = params[key];
    if (typeof text !== 'string' || text === '') continue;
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|h|m|s)/g)];
    const joined = parts.map((p) => p[0]).join('');
    if (parts.length && joined.replace(/\s/g, '') === text.replace(/\s/g, '')) {
      return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? 'ms'] ?? 0), 0);
    }
  }
  return undefined;
}
