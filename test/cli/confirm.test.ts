import { describe, expect, it } from 'vitest';
import { confirmDestructive } from '../../src/app/confirm.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { describeError } from '../../src/lib/errors.js';

describe('confirming a destructive command', () => {
  const base = { question: 'Reset?', unattended: 'resetting the paper account' };

  it('asks on a terminal, and --yes answers without asking', async () => {
    const asked: string[] = [];
    const ask = async (q: string) => (asked.push(q), false);
    expect(await confirmDestructive({ ...base, yes: false, withoutTerminal: 'refuse', interactive: true, ask })).toBe(false);
    expect(asked).toEqual(['Reset?']);
    expect(await confirmDestructive({ ...base, yes: true, withoutTerminal: 'refuse', interactive: true, ask })).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('without a terminal: refuses with exit 2 and the --yes hint, or proceeds and says so', async () => {
    const refused = await confirmDestructive({ ...base, yes: false, withoutTerminal: 'refuse', interactive: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(refused).toMatchObject({ hint: 'add --yes to confirm' });
    expect(describeError(refused).exitCode).toBe(2);
    const notes: string[] = [];
    expect(await confirmDestructive({ ...base, yes: false, withoutTerminal: 'proceed', interactive: false, note: (l) => notes.push(l) })).toBe(true);
    expect(notes).toEqual(['no terminal to ask: resetting the paper account (--yes skips this note)']);
  });
});
