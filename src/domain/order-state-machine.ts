import type { OrderStatus } from './order.js';

/**
 * Every legal order status transition. `pending_submit` is the intent-to-send recorded before
 * the request leaves the process; `unknown` is a send whose outcome we could not learn (timeout,
 * reset) and must be resolved by asking the broker before anything is re-sent.
 */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  // created → accepted is a parent order handed to its algorithm; children go through pending_submit.
  created: ['pending_submit', 'accepted', 'rejected', 'cancelled'],
  pending_submit: ['accepted', 'partially_filled', 'filled', 'rejected', 'cancelled', 'expired', 'unknown'],
  unknown: ['pending_submit', 'accepted', 'partially_filled', 'filled', 'rejected', 'cancelled', 'expired'],
  accepted: ['partially_filled', 'filled', 'pending_cancel', 'pending_replace', 'cancelled', 'rejected', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'pending_cancel', 'pending_replace', 'cancelled', 'expired'],
  pending_cancel: ['cancelled', 'partially_filled', 'filled', 'accepted', 'expired'],
  pending_replace: ['accepted', 'partially_filled', 'filled', 'cancelled', 'expired', 'rejected'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly clientOrderId: string,
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`order ${clientOrderId}: illegal status transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Returns `to` when the move is legal, throws {@link IllegalTransitionError} otherwise. */
export function transition(clientOrderId: string, from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!canTransition(from, to)) throw new IllegalTransitionError(clientOrderId, from, to);
  return to;
}

export function legalTargets(from: OrderStatus): readonly OrderStatus[] {
  return TRANSITIONS[from];
}
