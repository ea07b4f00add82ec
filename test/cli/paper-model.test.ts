import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, ROOT } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

describe('paper.model', () => {
  it('a market model file with a bad field stops the command with exit 2, naming the file and the field', async () => {
    const model = join(box.dir, 'paper-model.json');
    writeFileSync(model, JSON.stringify({ depth: { book_levels: 0 }, symbols: { 'NSE:RELIANCE': { adv: 12_000_000 } } }));
    mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ paper: { model } }));
    const r = await box.json<{ error: { message: string; hint: string } }>(['check', join(ROOT, 'examples', 'portfolio.json')]);
    expect(r.code).toBe(2);
    expect(r.body.error.message).toContain(`invalid market model in ${model}: depth.book_levels`);
    expect(r.body.error.hint).toContain(model);
  });
});
