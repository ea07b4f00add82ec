import { describe, expect, it } from 'vitest';
import { editDistance, suggest, unknownCommand } from '../../src/lib/did-you-mean.js';

const IDS = ['rebalance', 'resume', 'runs', 'runs list', 'runs show', 'orders', 'orders show', 'orders sync', 'paper reset', 'paper show', 'pnl', 'positions', 'algo preview', 'check'];

describe('did you mean', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('dyr-run', 'dry-run')).toBe(1);
    expect(editDistance('rebalanec', 'rebalance')).toBe(1);
    expect(editDistance('lst', 'list')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests close names and names that start with what was typed, closest first', () => {
    expect(suggest('dyr-run', ['dry-run', 'new-run', 'run-id', 'yes'])).toEqual(['dry-run']);
    expect(suggest('rebal', ['rebalance', 'resume', 'reconcile'])).toEqual(['rebalance']);
    expect(suggest('xyzzy', ['rebalance', 'resume'])).toEqual([]);
    expect(suggest('pos', ['positions', 'pnl', 'pause'])).toEqual(['positions']);
  });

  it('names the mistyped command with spaces, never an internal id, and offers the topic\'s commands', () => {
    expect(unknownCommand(['runs', 'lst'], IDS).message).toBe('unknown command `runs lst`; did you mean `runs list` or `runs show`?');
    expect(unknownCommand(['rebalanc', 'examples/portfolio.json'], IDS).message).toBe('unknown command `rebalanc`; did you mean `rebalance`?');
    expect(unknownCommand(['frobnicate'], IDS)).toEqual({ message: 'unknown command `frobnicate`', hint: '`ptexec help` lists every command' });
    expect(unknownCommand(['sync'], IDS).message).toBe('unknown command `sync`; did you mean `orders sync`?');
    expect(unknownCommand(['pnl', 'extra'], IDS).message).toBe('`ptexec pnl` takes no argument `extra`');
    expect(unknownCommand(['paper', 'rest'], IDS).message).toBe('unknown command `paper rest`; did you mean `paper reset` or `paper show`?');
  });
});
