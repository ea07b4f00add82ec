import { describe, expect, it } from 'vitest';
import { groupBy } from '../../src/domain/group-by.js';

describe('groupBy', () => {
  it('keeps each group in the items\' order and the groups in order of first appearance', () => {
    const groups = groupBy([3, 1, 4, 1, 5, 9, 2, 6], (n) => n % 3);
    expect([...groups.entries()]).toEqual([
      [0, [3, 9, 6]],
      [1, [1, 4, 1]],
      [2, [5, 2]],
    ]);
  });
});
