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
  figures: VenueFigures;
  penalty: AccountPenalty;
}

/** What an account can take of this leg now: shares (a sell) or cash (a buy), a rule's cap, its orders left. */
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
  private readonly memo = new Map<number, number>();

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
    ordered.forEach(({ account, venues }, rank) => {
      const alias = account.definition.alias;
      const maxShare = maxShareOf(alias, policy.rules);
      this.rooms.set(alias, {
        shares: leg.side === 'sell' ? ledger.shares(alias, leg.symbol, this.exchanges) : 0,
        cash: leg.side === 'buy' ? ledger.cash(alias) : 0,
        maxQuantity: this.floorLot(Math.floor(maxShare * leg.quantity + 1e-9)),
        orders: ledger.orders(alias),
        maxShare,
      });
      const penalty = accountPenalty(account, policy.weights);
      // On a tie the deeper book first, then the leg's order of venues.
      const byDepth = [...this.figures].sort((a, b) => b.depth - a.depth || a.index - b.index);
      for (const f of byDepth) if (venues.includes(f.venue)) this.candidates.push({ account, alias, rank, figures: f, penalty });
    });
  }

  floorLot(quantity: number): number {
    return Math.floor(quantity / this.lot) * this.lot;
  }

  room(alias: string): AccountRoom {
    return this.rooms.get(alias)!;
  }

  /** The broker's charges for a part of `quantity` at candidate `ci`. */
  charges(ci: number, quantity: number): number {
    if (quantity <= 0) return 0;
    const key = quantity * this.candidates.length + ci;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const c = this.candidates[ci]!;
    const value = Math.max(0, c.account.charges({ symbol: this.leg.symbol, exchange: c.figures.venue.exchange, side: this.leg.side, quantity, price: c.figures.cashPrice }));
    this.memo.set(key, value);
    return value;
  }

  /** Cash a buy part uses, or (a sell) the proceeds it brings, minor units. */
  cashFlow(ci: number, quantity: number): number {
    const gross = quantity * this.candidates[ci]!.figures.cashPrice;
    return this.leg.side === 'buy' ? gross + this.charges(ci, quantity) : gross - this.charges(ci, quantity);
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
