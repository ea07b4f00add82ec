import type { Holding, Position } from './account.js';
import { instrumentKey, type Exchange, type InstrumentKey } from './instrument.js';

/** What the account owns of one instrument, and which part of the broker's answer says so. */
export interface OwnedInstrument {
  symbol: string;
  exchange: Exchange;
  /** Everything owned: settled + T+1 + `today`. What the planner and the risk rules count. */
  quantity: number;
  /** Settled holding quantity. */
  settled: number;
  /** Bought but not yet settled, as the broker's holdings report it. */
  t1: number;
  /**
   * Today's delivery trades that the broker reports as a position and not yet in its holdings
   * (bought +, sold −); always 0 where the holdings already include them.
   */
  today: number;
  /** Average cost (minor units, may be fractional) of what is owned. */
  averagePrice: number;
  /** The broker's last price with the holding, when it gave one. */
  lastPrice?: number;
}

/** A broker's answer about the account, and how to read it (`BrokerCapabilities.holdingsIncludeTodaysTrades`). */
export interface OwnershipFacts {
  holdings: readonly Holding[];
  positions?: readonly Position[];
  /**
   * The holdings already include today's delivery trades (the paper broker), so positions add
   * nothing; otherwise (Kite) today's delivery trades are only in the positions until the next
   * trading day, and count on top of the holdings.
   */
  holdingsIncludeTodaysTrades: boolean;
}

/**
 * What the account owns, per instrument: the one definition the planner, the risk rules, the
 * `positions` command, reconciliation and settlement checks share. Settled and T+1 holdings
 * count; so do today's delivery (non-intraday) trades where the broker reports them only as
 * positions. Intraday positions are not holdings: they are squared off the same day.
 */
export function ownedInstruments(facts: OwnershipFacts): Map<InstrumentKey, OwnedInstrument> {
  const out = new Map<InstrumentKey, OwnedInstrument>();
  const entry = (exchange: Exchange, symbol: string): OwnedInstrument => {
    const key = instrumentKey(exchange, symbol);
    let e = out.get(key);
    if (!e) {
      e = { symbol, exchange, quantity: 0, settled: 0, t1: 0, today: 0, averagePrice: 0 };
      out.set(key, e);
    }
    return e;
  };
  for (const h of facts.holdings) {
    const e = entry(h.exchange, h.symbol);
    const held = e.settled + e.t1;
    const adding = h.quantity + h.t1Quantity;
    e.averagePrice = held + adding > 0 ? (e.averagePrice * held + h.averagePrice * adding) / (held + adding) : h.averagePrice;
    e.settled += h.quantity;
    e.t1 += h.t1Quantity;
    e.quantity += adding;
    if (h.lastPrice !== undefined) e.lastPrice = h.lastPrice;
  }
  if (!facts.holdingsIncludeTodaysTrades) {
    for (const p of facts.positions ?? []) {
      if (p.product !== 'delivery' || p.quantity === 0) continue;
      const e = entry(p.exchange, p.symbol);
      // Shares bought today add their cost; shares sold today leave the others' cost as it was.
      if (p.quantity > 0) e.averagePrice = (e.averagePrice * Math.max(0, e.quantity) + p.averagePrice * p.quantity) / (Math.max(0, e.quantity) + p.quantity);
      e.today += p.quantity;
      e.quantity += p.quantity;
    }
  }
  return out;
}
