import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, TERMINAL_STATUSES, type OrderStatus } from '../../src/domain/order.js';
import { canTransition, IllegalTransitionError, legalTargets, transition } from '../../src/domain/order-state-machine.js';

describe('order state machine', () => {
  it('allows the normal life of an order sent to a broker', () => {
    const path: OrderStatus[] = ['created', 'pending_submit', 'accepted', 'partially_filled', 'partially_filled', 'filled'];
    for (let i = 1; i < path.length; i++) expect(transition('o1', path[i - 1]!, path[i]!)).toBe(path[i]);
  });

  it('resolves an unknown outcome either way, and may re-send only from unknown', () => {
    expect(canTransition('pending_submit', 'unknown')).toBe(true);
    expect(canTransition('unknown', 'accepted')).toBe(true);
    expect(canTransition('unknown', 'pending_submit')).toBe(true);
    expect(canTransition('accepted', 'pending_submit')).toBe(false);
  });

  it('lets a cancel race with fills', () => {
    expect(canTransition('pending_cancel', 'filled')).toBe(true);
    expect(canTransition('pending_cancel', 'partially_filled')).toBe(true);
    expect(canTransition('pending_cancel', 'cancelled')).toBe(true);
  });

  it('never leaves a terminal status', () => {
    for (const terminal of TERMINAL_STATUSES) {
      expect(legalTargets(terminal)).toEqual([]);
      for (const to of ORDER_STATUSES) expect(canTransition(terminal, to)).toBe(false);
    }
  });

  it('throws a typed error naming the order and both statuses on an illegal move', () => {
    expect(() => transition('abc', 'filled', 'cancelled')).toThrowError(IllegalTransitionError);
    expect(() => transition('abc', 'filled', 'cancelled')).toThrow('order abc: illegal status transition filled → cancelled');
  });

  it('has no transition into created', () => {
    for (const from of ORDER_STATUSES) expect(canTransition(from, 'created')).toBe(false);
  });
});
