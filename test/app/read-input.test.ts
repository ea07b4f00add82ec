import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from '../../src/app/read-input.js';
import { loadConfig } from '../../src/lib/config.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ptexec-input-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(work: Promise<unknown>): Promise<InvalidInputError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof InvalidInputError) return err;
    throw err;
  }
  throw new Error('expected the input to be refused');
}

describe('reading a target file', () => {
  it('refuses a file above the limit before reading it, naming its size, the limit and how to raise it', async () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    truncateSync(big, 50 * 2 ** 20); // sparse: nothing to read, only a size
    const e = await refusal(readInput(big, { maxBytes: DEFAULT_MAX_INPUT_BYTES }));
    expect(e.message).toBe(`${big} is 50 MB (52,428,800 bytes), above the limit of 10 MB (10,485,760 bytes) for a target portfolio; nothing was sent`);
    expect(e.hint).toBe('split the file, or raise the limit in config.json: "input": {"max_bytes": 104857600}');
    writeFileSync(join(dir, 'ok.csv'), 'symbol,quantity\nTCS,1\n');
    expect(await readInput(join(dir, 'ok.csv'), { maxBytes: 22 })).toEqual({ text: 'symbol,quantity\nTCS,1\n', source: join(dir, 'ok.csv') });
    expect((await refusal(readInput(join(dir, 'ok.csv'), { maxBytes: 21 }))).message).toMatch(/ok\.csv is 22 bytes, above the limit of 21 bytes/);
  });

  it('stops reading standard input once it passes the limit', async () => {
    let produced = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          produced++;
          yield Buffer.alloc(1024, 'a');
        }
      })(),
    );
    const e = await refusal(readInput('-', { maxBytes: 10 * 1024, stdin: () => endless }));
    expect(e.message).toBe('<stdin> is more than 10,240 bytes, above the limit of 10,240 bytes for a target portfolio; nothing was sent');
    expect(produced).toBeLessThan(20);
    expect(await readInput('-', { maxBytes: 10, stdin: () => Readable.from([Buffer.from('{"a":1}')]) })).toEqual({ text: '{"a":1}', source: '<stdin>' });
  });

  it('takes the limit from config.json, strictly', () => {
    writeFileSync(join(dir, 'config.json'), '{"input":{"max_bytes":1000}}');
    expect(loadConfig(join(dir, 'config.json')).input).toEqual({ max_bytes: 1000 });
    writeFileSync(join(dir, 'config.json'), '{"input":{"max_byte":1000}}');
    expect(() => loadConfig(join(dir, 'config.json'))).toThrow(/invalid configuration/);
  });
});
