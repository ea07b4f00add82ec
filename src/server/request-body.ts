import type { IncomingMessage } from 'node:http';
import { httpProblem } from './problem.js';

/** The default largest request body: a 500-line target is some 40 KB; the CLI's own file limit is larger. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request's body as UTF-8, refusing (413) as soon as it passes `maxBytes` — by its
 * Content-Length before reading anything, else while it streams in — so a large body never
 * fills memory.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  const tooLarge = () => httpProblem('too-large', 413, `the body is larger than ${maxBytes} bytes`, { max_bytes: maxBytes });
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
