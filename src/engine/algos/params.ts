import { z } from 'zod';
import { AlgoParamError } from './algo-param-error.js';
import { DurationError, parseDuration } from './duration.js';
import { PARAMETER_VOCABULARY } from './param-vocabulary.js';

/**
 * Algorithm parameters arrive as strings (flags), numbers or booleans (JSON target files). Each
 * algorithm declares its parameters with a zod schema and the fix to suggest, and parses them
 * one by one so that an error names the parameter that is wrong.
 */
export interface ParamSpec<T> {
  schema: z.ZodType<T>;
  /** How to write it correctly, e.g. "use a whole number of slices ≥ 1, such as slices=10". */
  fix: string;
}

export type RawParams = Record<string, string | number | boolean | undefined>;
export type ParsedParams<S> = { [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

export function param<T>(schema: z.ZodType<T>, fix: string): ParamSpec<T> {
  return { schema, fix };
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** A number written as a number or as a numeric string. */
export const numeric = z.unknown().transform((value, ctx) => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'is not a number' });
    return z.NEVER;
  }
  return n;
});

export const wholeNumber = (min: number) => numeric.pipe(z.number().int('must be a whole number').min(min, `must be at least ${min}`));

export const duration = z.unknown().transform((value, ctx) => {
  if (typeof value === 'number' || (typeof value === 'string' && NUMERIC.test(value.trim()))) {
    ctx.addIssue({ code: 'custom', message: 'needs a unit (a bare number could be seconds or minutes)' });
    return z.NEVER;
  }
  try {
    return parseDuration(String(value));
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.problem });
    return z.NEVER;
  }
});

export const flag = z.unknown().transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['true', 'yes', '1'].includes(text)) return true;
  if (['false', 'no', '0'].includes(text)) return false;
  ctx.addIssue({ code: 'custom', message: 'is not true or false' });
  return z.NEVER;
});

/** One of a fixed set of words. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.unknown().transform((value, ctx) => {
    const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
    if (typeof text === 'string' && (values as readonly string[]).includes(text)) return text as T[number];
    ctx.addIssue({ code: 'custom', message: `is not one of ${values.join(', ')}` });
    return z.NEVER;
  });

/**
 * Parses `raw` against `specs`. A name no algorithm knows is refused (a typo such as `slice=10`
 * must not silently fall back to a default); a parameter of another algorithm is ignored, since
 * run-wide parameters reach every leg (see PARAMETER_VOCABULARY).
 */
export function parseParams<S extends Record<string, ParamSpec<unknown>>>(algo: string, specs: S, raw: RawParams): ParsedParams<S> {
  const known = Object.keys(specs);
  for (const name of Object.keys(raw)) {
    if (raw[name] !== undefined && !known.includes(name) && !PARAMETER_VOCABULARY.has(name)) {
      throw new AlgoParamError(algo, name, 'is not a parameter of any algorithm', `the ${algo} parameters are ${known.join(', ')}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const name of known) {
    const spec = specs[name]!;
    const value = raw[name];
    const result = spec.schema.safeParse(value);
    if (!result.success) {
      const problem = result.error.issues[0]?.message ?? 'is invalid';
      throw new AlgoParamError(algo, name, value === undefined ? 'is required' : `= ${JSON.stringify(value)} ${problem}`, spec.fix);
    }
    out[name] = result.data;
  }
  return out as ParsedParams<S>;
}
