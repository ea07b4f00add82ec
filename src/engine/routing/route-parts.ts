import type { LegProblem } from './leg-problem.js';
import type { RoutingLedger } from './routing-ledger.js';
import type { RoutePart } from './types.js';

/**
 * The parts of a placement (quantity per candidate) with their expected cost and score, booked
 * into the ledger: a sell's shares leave the account and its proceeds join its cash, a buy's
 * cost leaves its cash, each part uses one of its orders. Impact is the venue's, shared by the
 * venue's parts in proportion to their quantity.
 */
export function bookParts(p: LegProblem, quantities: readonly number[], ledger: RoutingLedger): RoutePart[] {
  const onVenue = p.figures.map(() => 0);
  quantities.forEach((q, ci) => (onVenue[p.candidates[ci]!.figures.index]! += q));
  const parts: RoutePart[] = [];
  quantities.forEach((quantity, ci) => {
    if (quantity <= 0) return;
    const c = p.candidates[ci]!;
    const v = c.figures.index;
    const venueTotal = onVenue[v]!;
    const exact = p.exactCharges(ci, quantity);
    const charges = Math.round(exact);
    const halfSpread = Math.round(quantity * c.figures.halfSpread);
    const impact = Math.round((p.impact(v, venueTotal) * quantity) / venueTotal);
    const value = quantity * c.figures.cashPrice;
    const w = p.policy.weights;
    const weighted = w.cost * (exact + quantity * c.figures.halfSpread) + (value * c.penalty.weightedBps) / 10_000 + (p.weightedImpact(v, venueTotal) * quantity) / venueTotal;
    parts.push({ account: c.alias, exchange: c.figures.venue.exchange, quantity, expectedCost: charges + halfSpread + impact, score: value > 0 ? (weighted / value) * 10_000 : 0, charges, halfSpread, impact });
    const flow = p.exactCashFlow(ci, quantity);
    if (p.leg.side === 'sell') ledger.bookSell(c.alias, p.leg.symbol, c.figures.venue.exchange, p.exchanges, quantity, flow);
    else ledger.bookBuy(c.alias, p.leg.symbol, quantity, flow);
  });
  return parts;
}
