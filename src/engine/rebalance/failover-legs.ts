import type { RunFailover } from '../../domain/events/index.js';
import type { Leg } from '../../domain/plan.js';

/**
 * A run's legs less what its failovers moved to other accounts (`run.failover`): resuming the
 * run works only what stayed with it, so a moved quantity is never sent twice. The runtime never
 * places more than a leg's quantity less its fills and working orders, so a leg reduced to what
 * was already sent sends nothing more.
 */
export function legsAfterFailovers(legs: readonly Leg[], failovers: readonly Pick<RunFailover['payload'], 'moved'>[]): Leg[] {
  const moved = new Map<number, number>();
  for (const f of failovers) for (const m of f.moved) moved.set(m.leg, (moved.get(m.leg) ?? 0) + m.quantity);
  return legs.map((l) => {
    const gone = moved.get(l.index) ?? 0;
    return gone ? { ...l, quantity: Math.max(0, l.quantity - gone), notes: [...l.notes, `${gone} moved to another account (failover)`] } : l;
  });
}
