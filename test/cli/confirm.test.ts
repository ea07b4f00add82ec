import { describe, expect, it } from 'vitest';
import { confirmDestructive } from '../../src/app/confirm.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { describeError } from '../../src/lib/errors.js';

/** The terminal as confirmDestructive sees it: whether one can be asked, the answers given, the notes written. */
function terminal(interactive: boolean) {
  const asked: string[] = [];
  const notes: string[] = [];
  const io = { interactive, confirm: async (q: string) => (asked.push(q), false), info: (line: string) => void notes.push(line) };
  return { io, asked, notes };
}

describe('confirming a destructive command', () => {
  const base = { question: 'Reset?', unattended: 'resetting the paper account' };

  it('asks on a terminal, and --yes answers without asking', async () => {
    const { io, asked } = terminal(true);
    expect(await confirmDestructive({ ...base, yes: false, withoutTerminal: 'refuse', io })).toBe(false);
    expect(asked).toEqual(['Reset?']);
    expect(await confirmDestructive({ ...base, yes: true, withoutTerminal: 'refuse', io })).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('without a terminal: refuses with exit 2 and the --yes hint, or proceeds and says so', async () => {
    const refused = await confirmDestructive({ ...base, yes: false, withoutTerminal: 'refuse', io: terminal(false).io }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(refused).toMatchObject({ hint: 'add --yes to confirm' });
    expect(describeError(refused).exitCode).toBe(2);
    const { io, notes } = terminal(false);
    expect(await confirmDestructive({ ...base, yes: false, withoutTerminal: 'proceed', io })).toBe(true);
    expect(notes).toEqual(['no terminal to ask: resetting the paper account (--yes skips this note)']);
  });
});
