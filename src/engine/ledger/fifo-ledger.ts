import type { Side } from '../../domain/side.js';

/** One trade as the ledger books it: charges included, money in minor units. */
export interface LedgerTrade {
  account: string;
  symbol: string;
  exchange: string;
  side: Side;
  quantity: number;
  price: number;
  charges: number;
  ts: number;
  tradeDate: string;
  runId: string | null;
  tradeId: string;
}

/** Holdings that were there before ptexec's first trade (from an account snapshot). */
export interface OpeningPosition {
  account: string;
  symbol: string;
  exchange: string;
  quantity: number;
  /** Total cost of the quantity, minor units. */
  cost: number;
}

/** Shares bought (quantity > 0) or sold short (quantity < 0) together, with their cost. */
interface Lot {
  quantity: number;
  /** Long: what was paid incl. charges. Short: minus what was received net of charges. */
  cost: number;
}

/** P&L realised when a trade closed (part of) earlier lots. */
export interface Realisation {
  account: string;
  symbol: string;
  tradeId: string;
  runId: string | null;
  tradeDate: string;
  quantity: number;
  /** Proceeds − cost, charges of both legs included. */
  pnl: number;
}

export interface LedgerPosition {
  account: string;
  symbol: string;
  exchange: string;
  /** Net shares: positive long, negative short. */
  quantity: number;
  /** Cost of the open lots (long: paid incl. charges; short: negative net proceeds). */
  cost: number;
  /** cost / quantity, minor units per share; null when flat. */
  averageCost: number | null;
  realised: number;
  charges: number;
  /** Open lots, oldest first. */
  lots: { quantity: number; cost: number }[];
}

/** Splits `take` shares off a lot, keeping costs integers that add up to the lot's cost. */
function takeFrom(lot: Lot, take: number): number {
  if (take === Math.abs(lot.quantity)) {
    const all = lot.cost;
    lot.cost = 0;
    lot.quantity = 0;
    return all;
  }
  const part = Number((BigInt(lot.cost) * BigInt(take)) / BigInt(Math.abs(lot.quantity)));
  lot.cost -= part;
  lot.quantity -= Math.sign(lot.quantity) * take;
  return part;
}

/**
 * A FIFO book of lots per account and symbol. A buy opens a long lot at its cost plus charges,
 * or closes short lots first; a sell closes the oldest long lots and realises
 * proceeds − charges − their cost, opening a short lot with what is left. Every figure stays in
 * integer minor units and the book balances exactly:
 * Σ realised = open cost − opening cost + Σ sell values − Σ buy values − Σ charges.
 */
export class FifoLedger {
  private readonly books = new Map<string, { exchange: string; lots: Lot[]; realised: number; charges: number; account: string; symbol: string }>();
  readonly realisations: Realisation[] = [];

  private book(account: string, symbol: string, exchange: string) {
    const key = `${account}\u0000${symbol}`;
    let b = this.books.get(key);
    if (!b) {
      b = { exchange, lots: [], realised: 0, charges: 0, account, symbol };
      this.books.set(key, b);
    }
    return b;
  }

  open(p: OpeningPosition): void {
    if (p.quantity === 0) return;
    this.book(p.account, p.symbol, p.exchange).lots.push({ quantity: p.quantity, cost: p.cost });
  }

  apply(t: LedgerTrade): void {
    const b = this.book(t.account, t.symbol, t.exchange);
    b.exchange = t.exchange;
    b.charges += t.charges;
    const dir = t.side === 'buy' ? 1 : -1;
    let left = t.quantity;
    let realised = 0;
    let closed = 0;
    // The trade's own cash, spread over the shares it closes and the shares it opens.
    const cash = dir * (t.quantity * t.price) + t.charges; // buy: paid; sell: −(received − charges)
    let cashLeft = cash;
    while (left > 0 && b.lots.length > 0 && Math.sign(b.lots[0]!.quantity) === -dir) {
      const lot = b.lots[0]!;
      const take = Math.min(left, Math.abs(lot.quantity));
      const lotCost = takeFrom(lot, take);
      const tradePart = take === left ? cashLeft : Number((BigInt(cash) * BigInt(take)) / BigInt(t.quantity));
      cashLeft -= tradePart;
      // Long lot closed by a sell: received (−tradePart) − paid (lotCost). Short lot closed by a
      // buy: received earlier (−lotCost) − paid now (tradePart). Both are −(lotCost + tradePart).
      realised += -(lotCost + tradePart);
      closed += take;
      left -= take;
      if (lot.quantity === 0) b.lots.shift();
    }
    if (left > 0) b.lots.push({ quantity: dir * left, cost: cashLeft });
    if (closed > 0) {
      b.realised += realised;
      this.realisations.push({ account: t.account, symbol: t.symbol, tradeId: t.tradeId, runId: t.runId, tradeDate: t.tradeDate, quantity: closed, pnl: realised });
    }
  }

  positions(): LedgerPosition[] {
    return [...this.books.values()]
      .map((b) => {
        const quantity = b.lots.reduce((a, l) => a + l.quantity, 0);
        const cost = b.lots.reduce((a, l) => a + l.cost, 0);
        return {
          account: b.account,
          symbol: b.symbol,
          exchange: b.exchange,
          quantity,
          cost,
          averageCost: quantity !== 0 ? cost / quantity : null,
          realised: b.realised,
          charges: b.charges,
          lots: b.lots.map((l) => ({ quantity: l.quantity, cost: l.cost })),
        };
      })
      .sort((a, b) => (a.account === b.account ? a.symbol.localeCompare(b.symbol) : a.account.localeCompare(b.account)));
  }
}

/** Unrealised P&L of a position at `mark`: market value − cost (works long and short). */
export function unrealised(position: Pick<LedgerPosition, 'quantity' | 'cost'>, mark: number): number {
  return Math.round(position.quantity * mark) - position.cost;
}
