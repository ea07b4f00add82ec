import { z } from 'zod';
import { httpProblem } from '../problem.js';

/** `?limit=&cursor=`: a page of at most `limit` rows (default 100, at most 1000) after the cursor a previous page gave. */
export const pageQuery = {
  limit: z.string().regex(/^\d+$/, 'is not a whole number').transform(Number).pipe(z.number().int().min(1).max(1000)).optional(),
  cursor: z.string().optional().describe('next_cursor of the previous page'),
};

export function pageLimit(limit: number | undefined): number {
  return limit ?? 100;
}

/** A cursor is the key the next page starts after, opaque to the client. */
export function encodeCursor(key: number | undefined): string | null {
  return key === undefined ? null : Buffer.from(`k${key}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const m = /^k(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw httpProblem('malformed-request', 400, 'cursor is not one this server gave; start again without it');
  return Number(m[1]);
}
