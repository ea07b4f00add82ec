import { z } from 'zod';
import { TargetParseError, type TargetIssue } from './errors/target-parse-error.js';
import { jsonPlace, placeText, type InputPlace } from './input-issue.js';
import { duplicateKeys } from './json-duplicate-keys.js';
import { toMinor } from './money.js';
import { orderFieldIssues } from './target-order-fields.js';
import {
  algoParamsSchema,
  algoSchema,
  asWrittenOrUndefined,
  bandSchema,
  definedOnly,
  exchangeSchema,
  orderTypeSchema,
  priceSchema,
  trailPercentSchema,
  quantitySchema,
  symbolSchema,
  typeError,
  valueSchema,
  weightSchema,
} from './target-fields.js';
import type { TargetPortfolio } from './target-portfolio.js';

/**
 * The JSON target shapes (README "Input formats"): the request shape of the original service
 * (`target_portfolio`) and the `positions` shape. Keys are strict: an unknown key is a typo that
 * would otherwise silently drop an intent.
 */

const requestShape = z
  .object({
    broker: z.string().trim().min(1).optional(),
    credentials: z.unknown().optional(),
    target_portfolio: z
      .array(
        z
          .object({
            symbol: symbolSchema,
            exchange: exchangeSchema.optional(),
            target_quantity: quantitySchema,
            limit_price: priceSchema.optional(),
          })
          .strict(),
      )
      .min(1, 'is empty: list at least one {"symbol", "target_quantity"}'),
    cash_buffer_pct: z.number().min(0).max(100).optional(),
  })
  .strict();

const positionsShape = z
  .object({
    positions: z
      .array(
        z
          .object({
            symbol: symbolSchema,
            exchange: exchangeSchema.optional(),
            quantity: quantitySchema.optional(),
            weight: weightSchema.optional(),
            value: valueSchema.optional(),
            limit_price: priceSchema.optional(),
            decision_price: priceSchema.optional(),
            algo: algoSchema.optional(),
            algo_params: algoParamsSchema.optional(),
            order_type: orderTypeSchema.optional(),
            stop_price: priceSchema.optional(),
            take_profit: priceSchema.optional(),
            stop_loss: priceSchema.optional(),
            stop_loss_limit: priceSchema.optional(),
            trail_percent: trailPercentSchema.optional(),
            trail_price: priceSchema.optional(),
            band: bandSchema.optional(),
          })
          .strict()
          .superRefine((p, ctx) => {
            const given = ['quantity', 'weight', 'value'].filter((k) => p[k as 'quantity'] !== undefined);
            if (given.length !== 1) ctx.addIssue({ code: 'custom', message: `needs exactly one of "quantity", "weight" or "value" (found ${given.length ? given.join(' and ') : 'none'})` });
            const orderIssues = orderFieldIssues({
              orderType: p.order_type,
              limitPrice: p.limit_price,
              stopPrice: p.stop_price,
              takeProfit: p.take_profit,
              stopLoss: p.stop_loss,
              stopLossLimit: p.stop_loss_limit,
              trailPercent: p.trail_percent,
              trailPrice: p.trail_price,
              algo: p.algo,
            });
            for (const issue of orderIssues) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message, params: { whole: true } });
          }),
      )
      .min(1, 'is empty: list at least one position'),
    cash_buffer_pct: z.number({ error: typeError('a number') }).min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').optional(),
  })
  .strict();

/** Reads a JSON target file's text; throws {@link TargetParseError} listing every problem. */
export function parseJsonTarget(text: string, source: string): TargetPortfolio {
  const raw = readTargetObject(text, source);
  if ('target_portfolio' in raw) return fromRequestShape(raw, source);
  if ('positions' in raw) return fromPositionsShape(raw, source);
  throw new TargetParseError(source, [
    { file: source, message: 'is not a target portfolio: expected an object with "positions" or "target_portfolio" (see README "Input formats")' },
  ]);
}

/**
 * The file as a JSON object, refused before its shape is read when it is not JSON, repeats a key
 * (JSON would keep the last one silently) or carries credentials (secrets never sit in a file
 * that is passed around).
 */
function readTargetObject(text: string, source: string): object {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    throw new TargetParseError(source, [{ file: source, line: pos ? lineOf(text, Number(pos[1])) : undefined, message: `is not valid JSON (${message})` }]);
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length) {
    throw new TargetParseError(
      source,
      duplicates.map((d) => ({
        file: source,
        path: d.path,
        line: d.line,
        field: d.key,
        message: `"${d.key}" is given twice (first at line ${d.firstLine}): JSON would silently keep the last one; give each key once`,
      })),
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TargetParseError(source, [
      { file: source, message: 'is JSON but not an object: a target portfolio is an object with "positions" or "target_portfolio" (see README "Input formats")' },
    ]);
  }
  if ('credentials' in raw && (raw as { credentials?: unknown }).credentials !== undefined) {
    throw new TargetParseError(source, [
      {
        file: source,
        path: '$.credentials',
        field: 'credentials',
        message: 'contains credentials: secrets do not belong in portfolio files. Remove "credentials" and log in with `ptexec brokers login <broker>` or the PTEXEC_<BROKER>_* environment variables',
      },
    ]);
  }
  return raw;
}

function fromRequestShape(raw: object, source: string): TargetPortfolio {
  const r = requestShape.safeParse(raw);
  if (!r.success) throw new TargetParseError(source, zodIssues(r.error, source));
  return {
    broker: r.data.broker,
    cashBufferPct: r.data.cash_buffer_pct ?? 0,
    positions: r.data.target_portfolio.map((p, i) => ({
      symbol: p.symbol,
      exchange: p.exchange,
      amount: { kind: 'quantity', quantity: p.target_quantity },
      limitPrice: asWrittenOrUndefined(p.limit_price),
      ...at(source, `$.target_portfolio[${i}]`),
    })),
  };
}

function fromPositionsShape(raw: object, source: string): TargetPortfolio {
  const r = positionsShape.safeParse(raw);
  if (!r.success) throw new TargetParseError(source, zodIssues(r.error, source));
  return {
    cashBufferPct: r.data.cash_buffer_pct ?? 0,
    positions: r.data.positions.map((p, i) => ({
      symbol: p.symbol,
      exchange: p.exchange,
      amount:
        p.quantity !== undefined ? { kind: 'quantity', quantity: p.quantity } : p.weight !== undefined ? { kind: 'weight', weight: p.weight } : { kind: 'value', value: toMinor(p.value!) },
      limitPrice: asWrittenOrUndefined(p.limit_price),
      decisionPrice: p.decision_price === undefined ? undefined : toMinor(p.decision_price),
      algo: p.algo,
      algoParams: p.algo_params,
      ...definedOnly({
        orderType: p.order_type,
        stopPrice: asWrittenOrUndefined(p.stop_price),
        takeProfit: asWrittenOrUndefined(p.take_profit),
        stopLoss: asWrittenOrUndefined(p.stop_loss),
        stopLossLimit: asWrittenOrUndefined(p.stop_loss_limit),
        trailPercent: p.trail_percent,
        trailPrice: asWrittenOrUndefined(p.trail_price),
        band: p.band,
      }),
      ...at(source, `$.positions[${i}]`),
    })),
  };
}

function zodIssues(error: z.ZodError, source: string): TargetIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    const field = issue.path.length ? String(issue.path[issue.path.length - 1]) : '';
    // Messages of cross-field rules are whole sentences; the others read "<field> <message>".
    const whole = issue.code === 'custom' && (issue.params as { whole?: boolean } | undefined)?.whole === true;
    return { ...jsonPlace(source, issue.path), message: field && !whole && !message.startsWith('unknown') ? `${field} ${message}` : message };
  });
}

/** A line of a JSON target: where it is, structured and as messages write it. */
function at(file: string, path: string): { place: InputPlace; location: string } {
  const place = { file, path };
  return { place, location: placeText(place) };
}

function lineOf(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

/** The JSON target shapes' schemas, for the documents that describe them (the API's OpenAPI). */
export { requestShape as targetRequestSchema, positionsShape as targetPositionsSchema };
