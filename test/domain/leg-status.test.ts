import { describe, expect, it } from 'vitest';
import { LEG_STATUSES, legStatus } from '../../src/domain/leg-status.js';

describe('legStatus: one mapping from a leg\'s order state to its status', () => {
  const leg = { quantity: 100 };

  it('names a leg before, during and after its order', () => {
    expect(legStatus({ ...leg, order: null, filled: 0 })).toBe('planned');
    expect(legStatus({ ...leg, order: 'created', filled: 0 })).toBe('working');
    expect(legStatus({ ...leg, order: 'accepted', filled: 40 })).toBe('working');
    expect(legStatus({ ...leg, order: 'partially_filled', filled: 40, paused: true })).toBe('paused');
    expect(legStatus({ ...leg, order: 'filled', filled: 100 })).toBe('complete');
    expect(legStatus({ ...leg, order: 'expired', filled: 40 })).toBe('partial');
    expect(legStatus({ ...leg, order: 'expired', filled: 0 })).toBe('unfilled');
    expect(legStatus({ ...leg, order: 'cancelled', filled: 0 })).toBe('cancelled');
    expect(legStatus({ ...leg, order: 'cancelled', filled: 30 })).toBe('partial');
    // The engine ends a leg whose every order the broker rejected as cancelled: the leg was rejected.
    expect(legStatus({ ...leg, order: 'cancelled', filled: 0, everyOrderRejected: true })).toBe('rejected');
    expect(legStatus({ ...leg, order: 'cancelled', filled: 0, everyOrderRejected: true, cancelRequested: true })).toBe('cancelled');
    expect(legStatus({ ...leg, order: 'rejected', filled: 0 })).toBe('rejected');
  });

  it('an ended run ends its open legs for what they filled; a paused leg that ended is not paused', () => {
    expect(legStatus({ ...leg, order: 'accepted', filled: 40, ended: true })).toBe('partial');
    expect(legStatus({ ...leg, order: 'accepted', filled: 0, ended: true })).toBe('unfilled');
    expect(legStatus({ ...leg, order: 'filled', filled: 100, paused: true })).toBe('complete');
  });

  it('uses only the leg vocabulary, never an order status', () => {
    const orderWords = ['filled', 'expired', 'accepted', 'partially_filled'];
    expect(LEG_STATUSES.filter((s) => orderWords.includes(s))).toEqual([]);
  });
});
