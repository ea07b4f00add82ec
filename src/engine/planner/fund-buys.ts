import { instrumentKey } from '../../domain/instrument.js';
import { formatMinor } from '../../domain/money.js';
import type { AccountSnapshot, Plan } from '../../domain/plan.js';
import type { Side } from '../../domain/side.js';
import type { DraftLeg } from './draft-legs.js';
import type { PlanOptions } from './plan-rebalance.js';
import { findInstrument } from './snapshot.js';

/** The legs in the order they run (sells, then the buys the cash pays for), and what the sells bring. */
export interface FundedLegs {
  sells: DraftLeg[];
  buys: DraftLeg[];
  sellProceeds: number;
}

/**
 * Sells first, then the buys, scaled down (said in `notes`, dropped buys in `skipped`) when they
 * cost more than the cash available after the sells, their charges, the cash buffer and, for
 * buys without a limit price, the market-order headroom. Each leg's estimated charges are set.
 */
export function fundBuys(
  legs: DraftLeg[],
  snapshot: AccountSnapshot,
  options: PlanOptions,
  budget: { accountValue: number; cashBufferPct: number },
  notes: string[],
  skipped: Plan['skipped'],
): FundedLegs {
  const headroom = (options.marketBuyHeadroomPct ?? 0.5) / 100;
  const charges = (side: Side, leg: DraftLeg, qty: number) => {
    const instrument = findInstrument(snapshot.instruments, leg.symbol, leg.exchange)!;
    const fees = options.estimateCharges ? options.estimateCharges(side, instrument, qty, leg.estimatedPrice) : 0;
    const reserve = side === 'buy' && leg.limitPrice === undefined ? Math.ceil(qty * leg.estimatedPrice * headroom) : 0;
    return fees + reserve;
  };
  if (options.estimateCharges) {
    for (const l of legs) {
      const instrument = findInstrument(snapshot.instruments, l.symbol, l.exchange)!;
      l.estimatedCharges = options.estimateCharges(l.side, instrument, l.quantity, l.estimatedPrice);
    }
  }
  const sells = legs.filter((l) => l.side === 'sell').sort(bySymbol);
  const buys = legs.filter((l) => l.side === 'buy').sort(bySymbol);
  const sellProceeds = sells.reduce((s, l) => s + l.estimatedValue - charges('sell', l, l.quantity), 0);
  const buffer = Math.round((budget.accountValue * budget.cashBufferPct) / 100);
  const cashForBuys = snapshot.funds.available + sellProceeds - buffer;
  const wanted = buys.reduce((s, l) => s + l.estimatedValue + charges('buy', l, l.quantity), 0);
  if (wanted <= cashForBuys || !buys.length) return { sells, buys, sellProceeds };

  const finalBuys = scaleBuys(
    buys,
    Math.max(0, cashForBuys),
    snapshot,
    (l, q) => l.estimatedPrice * q + charges('buy', l, q),
    (l, q) => options.estimateCharges!('buy', findInstrument(snapshot.instruments, l.symbol, l.exchange)!, q, l.estimatedPrice),
  );
  const kept = finalBuys.reduce((s, l) => s + l.quantity, 0);
  const currency = snapshot.funds.currency;
  notes.push(
    `buys need ${formatMinor(wanted)} ${currency} but ${formatMinor(Math.max(0, cashForBuys))} is available after sells${buffer ? ', charges and the cash buffer' : ' and charges'}: buys scaled down to fit${kept === 0 ? ' (none left)' : ''}`,
  );
  const keptKeys = new Set(finalBuys.map((l) => instrumentKey(l.exchange, l.symbol)));
  for (const l of buys) if (!keptKeys.has(instrumentKey(l.exchange, l.symbol))) skipped.push({ symbol: l.symbol, exchange: l.exchange, reason: 'dropped: not enough cash after scaling', unmet: true });
  return { sells, buys: finalBuys, sellProceeds };
}

/**
 * Scales every buy by the same factor so the total fits `budget`, rounding down to lots, then
 * removes one lot at a time from the largest buy while rounding or charges still overshoot.
 */
function scaleBuys<L extends DraftLeg>(
  buys: L[],
  budget: number,
  snapshot: AccountSnapshot,
  cost: (leg: L, qty: number) => number,
  chargesOf: (leg: L, qty: number) => number,
): L[] {
  const total = buys.reduce((s, l) => s + cost(l, l.quantity), 0);
  const factor = total > 0 ? budget / total : 0;
  const lotOf = (l: L) => findInstrument(snapshot.instruments, l.symbol, l.exchange)!.lotSize;
  const scaled = buys.map((l) => ({ leg: l, qty: Math.floor((l.quantity * factor) / lotOf(l)) * lotOf(l) }));
  const spend = () => scaled.reduce((s, x) => s + (x.qty > 0 ? cost(x.leg, x.qty) : 0), 0);
  while (spend() > budget) {
    const largest = scaled.filter((x) => x.qty > 0).sort((a, b) => b.qty * b.leg.estimatedPrice - a.qty * a.leg.estimatedPrice)[0];
    if (!largest) break;
    largest.qty -= lotOf(largest.leg);
  }
  return scaled
    .filter((x) => x.qty > 0)
    .map((x) => ({
      ...x.leg,
      quantity: x.qty,
      estimatedValue: x.qty * x.leg.estimatedPrice,
      ...(x.leg.estimatedCharges === undefined ? {} : { estimatedCharges: chargesOf(x.leg, x.qty) }),
      notes: [...x.leg.notes, `scaled from ${x.leg.quantity} to ${x.qty} to fit the cash`],
    }));
}

/** By symbol, then exchange, by code unit: the same order on every host (`localeCompare` follows the host's locale and ICU data, and its first call loads the collation tables). */
function bySymbol(a: { symbol: string; exchange: string }, b: { symbol: string; exchange: string }): number {
  return a.symbol === b.symbol ? compareCodeUnits(a.exchange, b.exchange) : compareCodeUnits(a.symbol, b.symbol);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
