import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain ES module script without type declarations
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, measure, oversized } from '../../scripts/code-size.mjs';

/**
 * "No god classes": a source file over 400 lines or a function over 80 holds more than one
 * concept. `node scripts/code-size.mjs` lists the offenders by name.
 */
describe('code size', () => {
  const files = measure();

  it('measures every source file and the functions inside it', () => {
    const viewModel = files.find((f: { file: string }) => f.file.endsWith('ui/view-model/view-model.ts'));
    expect(viewModel?.lines).toBeGreaterThan(0);
    expect(files.flatMap((f: { functions: unknown[] }) => f.functions).length).toBeGreaterThan(100);
  });

  it(`no source file is over ${MAX_FILE_LINES} lines`, () => {
    expect(oversized(files).files).toEqual([]);
  });

  it(`no function is over ${MAX_FUNCTION_LINES} lines`, () => {
    const names = oversized(files).functions.map((f: { file: string; name: string; lines: number }) => `${f.file} ${f.name} (${f.lines} lines)`);
    expect(names).toEqual([]);
  });
});
