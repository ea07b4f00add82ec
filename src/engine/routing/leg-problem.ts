import type { Exchange } from '../../domain/instrument.js';
import { compareAccounts } from './account-order.js';
import { accountPenalty, type AccountPenalty } from './account-penalty.js';
import { impactScale, venueImpact } from './expected-cost.js';
import { maxShareOf } from './policy-rules.js';
import type { RoutingLedger } from './routing-ledger.js';
import type { RoutableAccount, RoutableLeg, RoutingPolicy, VenueQuote } from './types.js';
import { venueFigures, type VenueFigures } from './venue-figures.js';

/** One place a leg could go: an eligible account on one of its venues. */
export interface Candidate {
  account: RoutableAccount;
  alias: string;
  /** The account's position in the tie-break order (role, then alias). */
  rank: number;
  /** The account's index among the leg's eligible accounts. */
  slot: number;
  figures: VenueFigures;
  penalty: AccountPenalty;
}

/** What an account can take of this leg now: shares (a sell), cash (a buy, or a sell's charges beyond its proceeds), a rule's cap, its orders left. */
export interface AccountRoom {
  shares: number;
  cash: number;
  maxQuantity: number;
  orders: number;
  maxShare: number;
}

/**
 * One leg as an allocation problem: its candidates and each account's room, and the money of a
 * part (charges memoised: a broker's schedule may be costly to evaluate and the split search asks
 * for the same sizes again).
 */
export class LegProblem {
  readonly candidates: Candidate[] = [];
  readonly rooms = new Map<string, AccountRoom>();
  readonly lot: number;
  readonly exchanges: readonly Exchange[];
  readonly figures: readonly VenueFigures[];
  private readonly scale: number;
  /** Per eligible account, the candidate whose venue its charges are reckoned on while searching. */
  private readonly reference: number[] = [];
  private readonly estimated = new Map<number, number>();
  private readonly exact = new Map<number, number>();
  /** The second exact point of the charges model the split search uses (the first is the whole leg). */
  private knot: number | undefined;

  constructor(
    readonly leg: RoutableLeg,
    eligible: readonly { account: RoutableAccount; venues: readonly VenueQuote[] }[],
    readonly policy: RoutingPolicy,
    ledger: RoutingLedger,
  ) {
    this.lot = leg.lotSize !== undefined && leg.lotSize > 1 ? Math.floor(leg.lotSize) : 1;
    this.exchanges = leg.venues.map((v) => v.exchange);
    this.figures = venueFigures(leg);
    this.scale = impactScale(leg, policy);
    const ordered = [...eligible].sort((a, b) => compareAccounts(a.account, b.account));
    // On a tie the deeper book first, then the leg's order of venues.
    const byDepth = [...this.figures].sort((a, b) => b.depth - a.depth || a.index - b.index);
    ordered.forEach(({ account, venues }, rank) => {
      const alias = account.definition.alias;
      const maxShare = maxShareOf(alias, policy.rules);
      this.rooms.set(alias, {
        shares: leg.side === 'sell' ? ledger.shares(alias, leg.symbol, this.exchanges) : 0,
        cash: ledger.cash(alias),
        maxQuantity: this.floorLot(Math.floor(maxShare * leg.quantity + 1e-9)),
        orders: ledger.orders(alias),
        maxShare,
      });
      const penalty = accountPenalty(account, policy.weights);
      for (const f of byDepth) {
        if (!venues.includes(f.venue)) continue;
        const ci = this.candidates.push({ account, alias, rank, slot: rank, figures: f, penalty }) - 1;
        const ref = this.reference[rank];
        if (ref === undefined || f.halfSpread < this.candidates[ref]!.figures.halfSpread) this.reference[rank] = ci;
      }
    });
  }

  floorLot(quantity: number): number {
    return Math.floor(quantity / this.lot) * this.lot;
  }

  room(alias: string): AccountRoom {
    return this.rooms.get(alias)!;
  }

  /**
   * The charges of a part as the search weighs them. A broker's schedule can be costly to
   * evaluate (the contract-note calculator), and a plan asks for thousands, so while deciding an
   * account's charges are reckoned on one venue (its tightest quote: exchanges' own fees differ
   * by fractions of a basis point, less than a tick of spread), and in the split search they are
   * the straight line through two exact points, the whole leg and one search step. The parts
   * chosen are then charged exactly (`exactCharges`), and cash is checked on those.
   */
  charges(ci: number, quantity: number): number {
    if (quantity <= 0) return 0;
    const slot = this.candidates[ci]!.slot;
    const q = this.leg.quantity;
    if (this.knot === undefined || quantity === q || quantity === this.knot) return this.referenceCharges(slot, quantity);
    const cq = this.referenceCharges(slot, q);
    const c1 = this.referenceCharges(slot, this.knot);
    return Math.max(0, c1 + ((cq - c1) * (quantity - this.knot)) / (q - this.knot));
  }

  /** From here on, `charges` is the model through the whole leg and `quantity` (a split search's step). */
  modelChargesThrough(quantity: number): void {
    if (quantity > 0 && quantity < this.leg.quantity) this.knot = quantity;
  }

  private referenceCharges(slot: number, quantity: number): number {
    const key = quantity * this.reference.length + slot;
    let value = this.estimated.get(key);
    if (value === undefined) this.estimated.set(key, (value = this.chargesAt(this.reference[slot]!, quantity)));
    return value;
  }

  /** The broker's charges for a part of `quantity` at candidate `ci`, on its own venue and price. */
  exactCharges(ci: number, quantity: number): number {
    if (quantity <= 0) return 0;
    const slot = this.candidates[ci]!.slot;
    if (this.reference[slot] === ci) return this.referenceCharges(slot, quantity);
    const key = quantity * this.candidates.length + ci;
    let value = this.exact.get(key);
    if (value === undefined) this.exact.set(key, (value = this.chargesAt(ci, quantity)));
    return value;
  }

  private chargesAt(ci: number, quantity: number): number {
    const c = this.candidates[ci]!;
    return Math.max(0, c.account.charges({ symbol: this.leg.symbol, exchange: c.figures.venue.exchange, side: this.leg.side, quantity, price: c.figures.cashPrice }));
  }

  /** Cash a buy part uses, or (a sell) the proceeds it brings, minor units, with the search's charges. */
  cashFlow(ci: number, quantity: number): number {
    return this.flow(ci, quantity, this.charges(ci, quantity));
  }

  /** The same with the part's exact charges: what is checked and booked. */
  exactCashFlow(ci: number, quantity: number): number {
    return this.flow(ci, quantity, this.exactCharges(ci, quantity));
  }

  private flow(ci: number, quantity: number, charges: number): number {
    const gross = quantity * this.candidates[ci]!.figures.cashPrice;
    return this.leg.side === 'buy' ? gross + charges : gross - charges;
  }

  /** A part's weighted money without impact: cost (charges + half spread) and the account's penalties. */
  partScore(ci: number, quantity: number): number {
    const c = this.candidates[ci]!;
    const w = this.policy.weights;
    return w.cost * (this.charges(ci, quantity) + quantity * c.figures.halfSpread) + (quantity * c.figures.cashPrice * c.penalty.weightedBps) / 10_000;
  }

  /** The impact of `quantity` shares on venue `index` of the leg, minor units, unweighted. */
  impact(index: number, quantity: number): number {
    return venueImpact(quantity, this.leg.price, this.figures[index]!.liquidity, this.scale);
  }

  weightedImpact(index: number, quantity: number): number {
    return this.policy.weights.liquidity * this.impact(index, quantity);
  }
}
