import { z } from 'zod';
import { EXCHANGES, type Exchange } from './instrument.js';
import { bandLimitProblem } from './drift-band.js';
import { MINOR_PER_MAJOR } from './money.js';
import { TARGET_ORDER_TYPES, type TargetOrderType } from './target-order-fields.js';

/**
 * The fields of one target line and how each is validated, shared by the JSON shapes and the CSV
 * reader so that a line means the same, and is refused with the same words, in either format.
 */

/** Largest quantity or value accepted: anything above is a typo, not a portfolio. */
export const MAX_QUANTITY = 100_000_000;

/** zod 4 reports a missing key and a wrong type alike; say which it is. */
export const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);

export const symbolSchema = z
  .string({ error: typeError('a text symbol such as "RELIANCE"') })
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'is too long for a symbol')
  .regex(/^[A-Za-z0-9&._-]+$/, 'may contain only letters, digits and & . _ -')
  .transform((s) => s.toUpperCase());

export const exchangeSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s): s is Exchange => (EXCHANGES as readonly string[]).includes(s), { message: `must be one of ${EXCHANGES.join(', ')}` });

/** 1000000000 → "1,000,000,000", without `toLocaleString` (its first call loads ICU, some 25 ms of a command's start). */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

export const quantitySchema = z
  .number({ error: typeError('a number') })
  .refine(Number.isFinite, 'must be a finite number')
  .refine(Number.isInteger, 'must be a whole number of shares')
  .refine((n) => n >= 0, 'must not be negative (a target of 0 sells the whole holding)')
  .refine((n) => n <= MAX_QUANTITY, `is absurdly large (over ${groupThousands(MAX_QUANTITY)} shares)`);

export const weightSchema = z
  .number({ error: typeError('a number') })
  .refine(Number.isFinite, 'must be a finite number')
  .refine((n) => n >= 0 && n <= 1, 'must be a fraction between 0 and 1 (0.05 = 5%)');

export const valueSchema = z
  .number({ error: typeError('a number') })
  .refine(Number.isFinite, 'must be a finite number')
  .refine((n) => n >= 0 && n <= 1e13, 'must be between 0 and 10,000,000,000,000');

export const priceSchema = z
  .number({ error: typeError('a number') })
  .refine((n) => Number.isFinite(n) && n > 0 && n < 1e8, 'must be a positive price');

/** Lower-cased, so `TWAP` names the same algorithm as `--algo twap`. */
export const algoSchema = z
  .string()
  .trim()
  .min(1)
  .transform((s) => s.toLowerCase());

/** A trailing stop's trail percent (2.5 = 2.5 %); its range and decimals are checked with the other order fields. */
export const trailPercentSchema = z.number({ error: typeError('a number (2.5 = 2.5 %)') }).refine(Number.isFinite, 'must be a finite number');

export const orderTypeSchema = z
  .string({ error: typeError(`one of ${TARGET_ORDER_TYPES.join(', ')}`) })
  .trim()
  .transform((s) => s.toLowerCase().replace('-', '_'))
  .refine((s): s is TargetOrderType => (TARGET_ORDER_TYPES as readonly string[]).includes(s), { message: `must be one of ${TARGET_ORDER_TYPES.join(', ')}` });

/** A line's no-trade band: fractions (`{"abs": 0.02, "rel": 0.25}`), at least one of the two. */
export const bandSchema = z
  .object({
    abs: z.number({ error: typeError('a number (0.02 = 2 percentage points)') }).optional(),
    rel: z.number({ error: typeError('a number (0.25 = 25% of the target weight)') }).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.abs === undefined && b.rel === undefined) ctx.addIssue({ code: 'custom', message: 'needs "abs", "rel" or both, e.g. {"abs": 0.02, "rel": 0.25}' });
    for (const key of ['abs', 'rel'] as const) {
      const problem = b[key] === undefined ? undefined : bandLimitProblem(key, b[key]);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  });

export const algoParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** An order price in minor units, unrounded (see {@link TargetPosition.limitPrice}). */
export function asWritten(major: number): number {
  // toFixed(6) removes binary noise such as 312005.49999999994 before the tick check.
  return Number((major * MINOR_PER_MAJOR).toFixed(6));
}

export function asWrittenOrUndefined(major: number | undefined): number | undefined {
  return major === undefined ? undefined : asWritten(major);
}

export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A number as written in a CSV cell; undefined for anything else (`1,000`, `5%`, `abc`). */
export function parseNumber(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim())) return undefined;
  return Number(text);
}
