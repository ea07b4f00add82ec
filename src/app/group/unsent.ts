import type { OrderCreated, StoredEvent } from '../../domain/events/index.js';
import { isTerminal, type OrderStatus } from '../../domain/order.js';
import type { Leg } from '../../domain/plan.js';

/** A child order whose outcome the run does not know (sent, maybe): it must be looked up at its broker before anything moves. */
export interface UnknownChild {
  clientOrderId: string;
  leg: number;
  /** What of it may still trade: its quantity less its recorded fills. */
  open: number;
}

/** What of one leg its run never sent, and which of its orders are unresolved. */
export interface LegUnsent {
  leg: Leg;
  /** Shares no order of the run carries: the leg's quantity less fills, working orders and unknown orders. */
  unsent: number;
  unknown: UnknownChild[];
  /** Shares of orders still working at the broker (accepted, not yet ended). */
  working: number;
}

/** The orders of a run as its events leave them: each child's quantity, last status and fills. */
interface ChildState {
  created: OrderCreated['payload'];
  status: OrderStatus;
  filled: number;
}

/**
 * What a stopped run has not sent, per leg, from its events: a leg's quantity less what its
 * orders took — fills of orders that ended, the whole of orders still working at the broker, and
 * the whole of orders whose outcome is unknown (listed, to be resolved at the broker). A refused
 * order (`rejected`) or one cancelled before it was sent takes nothing. Exits a broker placed for
 * a linked order are not the leg's own quantity and are not counted.
 */
export function unsentOfRun(events: readonly StoredEvent[], legs: readonly Leg[]): LegUnsent[] {
  const children = new Map<string, ChildState>();
  for (const e of events) {
    if (e.type === 'order.created' && e.payload.parentId && !e.payload.exitOf) children.set(e.payload.clientOrderId, { created: e.payload, status: 'created', filled: 0 });
    else if (e.type === 'order.status') {
      const c = children.get(e.payload.clientOrderId);
      if (c) c.status = e.payload.to;
    } else if (e.type === 'fill.recorded') {
      const c = children.get(e.payload.clientOrderId);
      if (c) c.filled += e.payload.quantity;
    }
  }
  return legs.map((leg) => {
    let taken = 0;
    let working = 0;
    const unknown: UnknownChild[] = [];
    for (const c of children.values()) {
      if (c.created.leg !== leg.index) continue;
      if (isTerminal(c.status)) taken += c.filled;
      else if (c.status === 'created' || c.status === 'pending_submit' || c.status === 'unknown') {
        taken += c.created.quantity;
        unknown.push({ clientOrderId: c.created.clientOrderId, leg: leg.index, open: Math.max(0, c.created.quantity - c.filled) });
      } else {
        taken += Math.max(c.created.quantity, c.filled);
        working += Math.max(0, c.created.quantity - c.filled);
      }
    }
    return { leg, unsent: Math.max(0, leg.quantity - taken), unknown, working };
  });
}
