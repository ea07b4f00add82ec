import { readFileSync } from 'node:fs';
import { InputError } from '../lib/errors.js';

/** Reads a file argument, `-` meaning standard input (CLI.md). */
export async function readInput(path: string, stdin: NodeJS.ReadStream = process.stdin): Promise<{ text: string; source: string }> {
  if (path === '-') {
    if (stdin.isTTY) throw new InputError('reading the target portfolio from standard input, but it is a terminal', 'pipe a file in (ptexec rebalance - < portfolio.json) or give a file name');
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return { text: Buffer.concat(chunks).toString('utf8'), source: '<stdin>' };
  }
  try {
    return { text: readFileSync(path, 'utf8'), source: path };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InputError(`${path}: ${why}`, 'give the path of a JSON or CSV target portfolio, or - for standard input');
  }
}
