import { cents, orderIdOf, sideOf, type SchwabOrder, schwabOrderBody } from './schwab-mapping.js';
import type { PlacementRecord } from './placement-journal.js';

export type MatchOutcome = { kind: 'found'; order: SchwabOrder } | { kind: 'absent' } | { kind: 'ambiguous'; candidates: SchwabOrder[] };

/**
 * Finds, among Schwab's orders, the one a placement whose answer was lost became. Schwab's order
 * request has no client order id field, so the order is recognised by what was sent. The rule:
 *
 * an order is a candidate when it is not already bound to another of ptexec's client order ids,
 * has one leg with the same symbol, instruction (BUY/SELL) and quantity, the same order type,
 * duration, limit price and stop price (to the cent), and was entered within `windowMs` of the
 * moment the placement went out (either side: the clocks differ).
 *
 * No candidate: the placement never reached Schwab (absent; the engine may send it again). One:
 * that is the order. Two or more: ptexec cannot tell which it sent — nothing is sent again; the
 * caller stops the run resumably and asks the user to say which order is ptexec's
 * (`brokers.schwab.claims`).
 */
export function matchPlacement(record: PlacementRecord, orders: readonly SchwabOrder[], bound: ReadonlySet<string>, windowMs: number): MatchOutcome {
  const sent = schwabOrderBody(record);
  const candidates = orders.filter((o) => {
    if (o.orderId === undefined || bound.has(orderIdOf(o))) return false;
    const legs = o.orderLegCollection ?? [];
    if (legs.length !== 1) return false;
    const leg = legs[0]!;
    if (leg.instrument?.symbol !== record.symbol || sideOf(leg.instruction) !== record.side) return false;
    if ((o.quantity ?? leg.quantity) !== record.quantity) return false;
    if (o.orderType !== sent.orderType || (o.duration !== undefined && o.duration !== sent.duration)) return false;
    if (!samePrice(o.price, sent.price) || !samePrice(o.stopPrice, sent.stopPrice)) return false;
    const entered = Date.parse(o.enteredTime ?? '');
    return Number.isFinite(entered) && Math.abs(entered - record.sentAt) <= windowMs;
  });
  if (candidates.length === 0) return { kind: 'absent' };
  if (candidates.length === 1) return { kind: 'found', order: candidates[0]! };
  return { kind: 'ambiguous', candidates };
}

/** Prices agree to the cent; a price only one side has (a market order's echo of the last price) does not count against. */
function samePrice(theirs: number | undefined, ours: number | undefined): boolean {
  if (ours === undefined) return true;
  return theirs !== undefined && Math.round(cents(theirs)) === Math.round(cents(ours));
}
