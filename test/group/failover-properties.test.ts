import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unsentOfRun } from '../../src/app/group/unsent.js';
import type { StoredEvent } from '../../src/domain/events/index.js';
import type { OrderStatus } from '../../src/domain/order.js';
import type { Leg } from '../../src/domain/plan.js';
import { legsAfterFailovers } from '../../src/engine/rebalance/failover-legs.js';

const STATUSES: OrderStatus[] = ['created', 'pending_submit', 'unknown', 'accepted', 'partially_filled', 'pending_cancel', 'filled', 'cancelled', 'rejected', 'expired'];
const MAY_STILL_TRADE = new Set<OrderStatus>(['created', 'pending_submit', 'unknown', 'accepted', 'partially_filled', 'pending_cancel']);

function leg(index: number, quantity: number): Leg {
  return { index, symbol: `S${index}`, exchange: 'NSE', side: 'buy', quantity, current: 0, target: quantity, decisionPrice: 100, estimatedPrice: 100, estimatedValue: quantity * 100, execution: { algo: 'twap', orderType: 'market', params: {} }, notes: [] };
}

/** A run's children for one leg of `quantity`: never more than the leg in total, each with a status and some fills. */
const childrenOf = (quantity: number) =>
  fc.array(fc.record({ share: fc.integer({ min: 1, max: 100 }), status: fc.constantFrom(...STATUSES), filledPct: fc.integer({ min: 0, max: 100 }) }), { maxLength: 6 }).map((children) => {
    let left = quantity;
    return children.flatMap((c) => {
      const q = Math.min(left, Math.max(1, Math.floor((quantity * c.share) / 100)));
      if (q <= 0) return [];
      left -= q;
      const filled = c.status === 'filled' ? q : ['created', 'pending_submit', 'rejected'].includes(c.status) ? 0 : Math.floor((q * c.filledPct) / 100);
      return [{ quantity: q, status: c.status, filled }];
    });
  });

function eventsOf(runId: string, legs: { leg: Leg; children: { quantity: number; status: OrderStatus; filled: number }[] }[]): StoredEvent[] {
  const events: StoredEvent[] = [];
  let seq = 0;
  const push = (type: string, payload: unknown) => events.push({ seq: ++seq, runId, ts: seq, marketTs: seq, type, payload } as unknown as StoredEvent);
  for (const { leg: l, children } of legs) {
    children.forEach((c, i) => {
      const id = `${runId}L${l.index}C${i}`;
      push('order.created', { clientOrderId: id, parentId: `${runId}L${l.index}`, leg: l.index, symbol: l.symbol, exchange: l.exchange, side: l.side, type: 'market', quantity: c.quantity, broker: 'b', account: 'a' });
      if (c.status !== 'created') push('order.status', { clientOrderId: id, from: 'created', to: c.status });
      if (c.filled) push('fill.recorded', { clientOrderId: id, tradeId: `${id}T`, quantity: c.filled, price: 100, broker: 'b', account: 'a', brokerOrderId: id, symbol: l.symbol, exchange: l.exchange, side: l.side, ts: seq });
    });
  }
  return events;
}

describe('a failover never duplicates an order', () => {
  it('moves at most what no order of the run filled or may still fill, and a resumed run never works the moved quantity', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 4 }).chain((sizes) => fc.tuple(fc.constant(sizes), fc.tuple(...sizes.map((q) => childrenOf(q))))), ([sizes, childSets]) => {
        const legs = sizes.map((q, i) => ({ leg: leg(i, q), children: childSets[i]! }));
        const unsent = unsentOfRun(eventsOf('r1', legs), legs.map((l) => l.leg));
        for (const [i, u] of unsent.entries()) {
          const { leg: l, children } = legs[i]!;
          // Everything the original broker may still fill, plus what it filled, plus what moves: never more than the leg.
          const atBroker = children.reduce((s, c) => s + (MAY_STILL_TRADE.has(c.status) ? c.quantity : c.filled), 0);
          expect(u.unsent + atBroker).toBeLessThanOrEqual(l.quantity);
          // Orders that may be at the broker are listed for a look-up before anything moves.
          const unknown = children.filter((c) => ['created', 'pending_submit', 'unknown'].includes(c.status)).length;
          expect(u.unknown).toHaveLength(unknown);
        }
        // The moved quantity comes off the old run's legs: what it can still send is what it did not move.
        const moved = unsent.map((u) => ({ leg: u.leg.index, symbol: u.leg.symbol, exchange: 'NSE', side: 'buy' as const, quantity: u.unsent }));
        const after = legsAfterFailovers(legs.map((l) => l.leg), [{ moved }]);
        for (const [i, l] of after.entries()) {
          // The runtime places at most quantity − fills − working: with the moved part gone, the old run and the new one together never exceed the leg.
          expect(l.quantity + moved[i]!.quantity).toBe(legs[i]!.leg.quantity);
          if (moved[i]!.quantity === 0) expect(l).toEqual(legs[i]!.leg);
        }
      }),
      { seed: 18, numRuns: 500 },
    );
  });
});
