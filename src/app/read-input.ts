import { createReadStream, statSync } from 'node:fs';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';

/**
 * Target files larger than this are refused before they are read (config.json
 * `"input": {"max_bytes": N}` raises it): 10 MB holds hundreds of thousands of lines, far more
 * than any portfolio, and parsing a much larger file would take minutes and gigabytes.
 */
export const DEFAULT_MAX_INPUT_BYTES = 10 * 1024 * 1024;

interface ReadOptions {
  /** Refuse input larger than this many bytes; no limit when absent. */
  maxBytes?: number;
  /** Standard input, opened only when the path is `-` (the I/O object's). */
  stdin?: () => NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Reads a file argument, `-` meaning standard input (CLI.md). */
export async function readInput(path: string, options: ReadOptions = {}): Promise<{ text: string; source: string }> {
  const { maxBytes = Infinity } = options;
  if (path === '-') {
    if (!options.stdin) throw new Error('readInput("-") needs the standard input');
    const stdin = options.stdin();
    if (stdin.isTTY) throw new InvalidInputError('reading the target portfolio from standard input, but it is a terminal', 'pipe a file in (ptexec rebalance - < portfolio.json) or give a file name');
    return { text: await readBounded(stdin, '<stdin>', maxBytes), source: '<stdin>' };
  }
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // A pipe or a device has no size to check: it is read up to the limit.
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge(path, `${formatBytes(stat.size)}`, maxBytes);
    return { text: await readBounded(createReadStream(path), path, maxBytes), source: path };
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InvalidInputError(`${path}: ${why}`, 'give the path of a JSON or CSV target portfolio, or - for standard input');
  }
}

/** Reads a stream to the end, stopping as soon as it passes `maxBytes`. */
async function readBounded(stream: NodeJS.ReadableStream, source: string, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > maxBytes) throw tooLarge(source, `more than ${formatBytes(maxBytes)}`, maxBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(source: string, size: string, maxBytes: number): InvalidInputError {
  return new InvalidInputError(
    `${source} is ${size}, above the limit of ${formatBytes(maxBytes)} for a target portfolio; nothing was sent`,
    `split the file, or raise the limit in config.json: "input": {"max_bytes": ${maxBytes * 10}}`,
  );
}

function formatBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return bytes < 2 ** 20 ? exact : `${Number((bytes / 2 ** 20).toFixed(1))} MB (${exact})`;
}
