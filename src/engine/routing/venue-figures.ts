import type { RoutableLeg, VenueQuote } from './types.js';

/**
 * A venue without a two-sided quote is taken to cost this spread (bps of the reference price):
 * wide on purpose, so that a quoted venue is preferred and an unquoted one is still usable.
 */
export const UNQUOTED_SPREAD_BPS = 50;

/** What the router reads of one venue for one leg, per share in minor units. */
export interface VenueFigures {
  venue: VenueQuote;
  /** Order of the venue in the leg's list: the last tie-break. */
  index: number;
  /** Spread in bps of the mid; undefined without a two-sided quote. */
  spreadBps?: number;
  /** Half the spread, paid crossing it (minor units per share, fractional). */
  halfSpread: number;
  /**
   * The price cash and proceeds are reckoned at: a buy at the higher of the reference price and
   * the ask, a sell at the lower of the reference price and the bid, so a plan never counts on
   * better prices than it sees.
   */
  cashPrice: number;
  /** Displayed shares on the side the leg takes (the ask for a buy). */
  depth: number;
  /**
   * What impact is measured against: the venue's share of the day's volume (`volume`), else its
   * displayed depth (`depth`: only what goes beyond it moves the price); undefined = no estimate.
   */
  liquidity?: { kind: 'volume' | 'depth'; shares: number };
}

function twoSided(v: VenueQuote): boolean {
  return v.bid > 0 && v.ask > 0 && v.ask >= v.bid;
}

/**
 * The figures of every venue of a leg. With an ADV, a venue's volume is the ADV split in
 * proportion to displayed depth (evenly when no venue shows depth); without one, the displayed
 * depth itself is the measure, and when no venue shows depth the impact cannot be estimated.
 */
export function venueFigures(leg: RoutableLeg): VenueFigures[] {
  const depthOf = (v: VenueQuote) => Math.max(0, leg.side === 'buy' ? v.askDepth : v.bidDepth);
  const totalDepth = leg.venues.reduce((s, v) => s + depthOf(v), 0);
  return leg.venues.map((venue, index) => {
    const quoted = twoSided(venue);
    const mid = (venue.bid + venue.ask) / 2;
    const depth = depthOf(venue);
    const halfSpread = quoted ? (venue.ask - venue.bid) / 2 : (leg.price * UNQUOTED_SPREAD_BPS) / 2 / 10_000;
    const cashPrice = leg.side === 'buy' ? Math.max(leg.price, quoted ? venue.ask : 0) : Math.min(leg.price, quoted ? venue.bid : leg.price);
    let liquidity: VenueFigures['liquidity'];
    if (leg.adv !== undefined && leg.adv > 0) liquidity = { kind: 'volume', shares: leg.adv * (totalDepth > 0 ? depth / totalDepth : 1 / leg.venues.length) };
    else if (totalDepth > 0) liquidity = { kind: 'depth', shares: depth };
    return { venue, index, ...(quoted && mid > 0 ? { spreadBps: ((venue.ask - venue.bid) / mid) * 10_000 } : {}), halfSpread, cashPrice, depth, ...(liquidity !== undefined ? { liquidity } : {}) };
  });
}
