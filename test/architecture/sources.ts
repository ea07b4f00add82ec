import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The project's root and its `src/`, for the tests that check rules on the sources. */
export const root = resolve(import.meta.dirname, '../..');
export const src = join(root, 'src');

/** Every TypeScript source file under `dir`. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}
