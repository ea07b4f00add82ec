import type { ParentState } from './algorithm.js';

/** How long to wait for a cancel to be confirmed before asking again. */
export const CANCEL_RETRY_MS = 10_000;

/**
 * Remembers which children an algorithm has asked to cancel, so that the many decisions taken
 * while a cancel is in flight do not repeat it, and a cancel that went unanswered is re-sent.
 */
export function cancelRequests(): (state: ParentState) => string[] {
  const askedAt = new Map<string, number>();
  return (state) => {
    const ids: string[] = [];
    for (const child of state.openChildren) {
      if (child.filled >= child.quantity) continue;
      const asked = askedAt.get(child.clientOrderId);
      if (asked !== undefined && state.now - asked < CANCEL_RETRY_MS) continue;
      askedAt.set(child.clientOrderId, state.now);
      ids.push(child.clientOrderId);
    }
    return ids;
  };
}
