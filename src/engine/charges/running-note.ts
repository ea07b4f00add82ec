import type { ChargeLine } from '../../domain/events/index.js';
import type { Side } from '../../domain/side.js';
import { basisOf, exactOfSum, roundClamped, type ChargeableTrade } from './contract-note.js';
import type { MarketCharges, ResolvedComponent } from './schedule.js';

/** What a component has counted so far. */
interface ComponentState {
  amount: number;
  /** per scrip-day: the applicable trades and the sum of their bases. */
  count: number;
  sum: number;
  /** per order: the same, per broker order (only for components charged per order). */
  orders?: Map<string, { count: number; sum: number; amount: number }>;
}

/**
 * One scrip's contract note of one day, kept as its trades arrive, so that booking a trade costs
 * the same whatever the note already holds. The note's amounts are exactly those of
 * `chargesForContractNote` over the same trades (each component rounded at its own level, taxes
 * on the rounded sum of their bases); a trade's share is what it added to each component, so the
 * shares of the note's trades add up to the note to the minor unit, and an earlier trade's share
 * never changes.
 */
export class RunningNote {
  private readonly state = new Map<string, ComponentState>();
  private readonly sides = new Set<Side>();
  private readonly tradeIds = new Set<string>();

  constructor(private readonly market: MarketCharges) {
    for (const c of market.components) this.state.set(c.id, { amount: 0, count: 0, sum: 0, ...(c.per === 'order' ? { orders: new Map() } : {}) });
  }

  /** Whether the trade is on the note already. */
  has(tradeId: string): boolean {
    return this.tradeIds.has(tradeId);
  }

  /** Adds a trade; returns its share of each component and in all (minor units). */
  add(trade: ChargeableTrade): { components: Record<string, number>; total: number } {
    this.tradeIds.add(trade.tradeId);
    this.sides.add(trade.side);
    const before = new Map([...this.state].map(([id, s]) => [id, s.amount]));
    // Taxes after every other component: a tax is on the rounded amounts of its bases.
    for (const c of this.market.components) {
      if (c.basis !== 'tax' && c.sides.has(trade.side)) this.state.get(c.id)!.amount += this.addTo(c, this.state.get(c.id)!, trade);
    }
    for (const c of this.market.components) if (c.basis === 'tax') this.state.get(c.id)!.amount = this.tax(c);
    const components: Record<string, number> = {};
    let total = 0;
    for (const c of this.market.components) {
      const share = this.state.get(c.id)!.amount - before.get(c.id)!;
      components[c.id] = share;
      total += share;
    }
    return { components, total };
  }

  /** The note's charges as they stand, in the order of the schedule. */
  lines(): ChargeLine[] {
    return this.market.components.map((c) => ({ id: c.id, label: c.label, amount: this.state.get(c.id)!.amount, uncertain: c.uncertain }));
  }

  total(): number {
    let total = 0;
    for (const s of this.state.values()) total += s.amount;
    return total;
  }

  /** What the trade adds to a (non-tax) component's amount. */
  private addTo(c: ResolvedComponent, s: ComponentState, trade: ChargeableTrade): number {
    const basis = c.basis === 'flat' ? 0 : basisOf(c, trade);
    if (c.per === 'trade') return roundClamped(exactOfSum(c, 1, basis), c);
    if (c.per === 'order') {
      const order = s.orders!.get(trade.orderId) ?? { count: 0, sum: 0, amount: 0 };
      s.orders!.set(trade.orderId, order);
      order.count += 1;
      order.sum += basis;
      const amount = roundClamped(exactOfSum(c, order.count, order.sum), c);
      const added = amount - order.amount;
      order.amount = amount;
      return added;
    }
    s.count += 1;
    s.sum += basis;
    return roundClamped(exactOfSum(c, s.count, s.sum), c) - s.amount;
  }

  /** A tax on the rounded sum of its bases, once any trade of a side it applies to is on the note. */
  private tax(c: ResolvedComponent): number {
    if (![...c.sides].some((side) => this.sides.has(side))) return 0;
    const base = c.on.reduce((a, id) => a + (this.state.get(id)?.amount ?? 0), 0);
    return roundClamped(BigInt(base) * c.rate, c);
  }
}
