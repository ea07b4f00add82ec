import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { fieldOf } from '../../domain/input-issue.js';
import { instrumentKey, type Instrument, type Quote } from '../../domain/instrument.js';
import type { ownedInstruments } from '../../domain/ownership.js';
import type { AccountSnapshot, Plan } from '../../domain/plan.js';
import type { TargetPortfolio, TargetPosition } from '../../domain/target-portfolio.js';
import { findInstrument } from './snapshot.js';

/** What the account owns, per instrument key. */
type Owned = ReturnType<typeof ownedInstruments>;

/** One instrument the plan considers: what is owned, what the target wants, before lots and cash. */
export interface Draft {
  instrument: Instrument;
  quote: Quote;
  current: number;
  target: number;
  position?: TargetPosition;
  notes: string[];
  /** Why the line is held where it is when its target was set to its current quantity (bands, cash flows). */
  heldBecause?: string;
}

/** The account's value: available cash plus holdings at the last price (else their own prices). */
export function accountValueOf(snapshot: AccountSnapshot, owned: Owned): number {
  let holdingsValue = 0;
  for (const [key, o] of owned) holdingsValue += o.quantity * (snapshot.quotes.get(key)?.last ?? o.lastPrice ?? o.averagePrice);
  return Math.round(snapshot.funds.available + holdingsValue);
}

/**
 * A draft per target line, its target quantity from the line's amount: a quantity as given, a
 * weight of the investable value or a value, at the decision price (else the last), rounded down
 * to lots. Returns the drafts and the instruments the target lists.
 */
export function draftTargets(target: TargetPortfolio, snapshot: AccountSnapshot, owned: Owned, investable: number): { drafts: Draft[]; listed: Set<string> } {
  const currency = snapshot.funds.currency;
  const drafts: Draft[] = [];
  const listed = new Set<string>();
  for (const position of target.positions) {
    const instrument = findInstrument(snapshot.instruments, position.symbol, position.exchange);
    if (!instrument) throw new InvalidInputError(`unknown symbol ${position.symbol} (${position.location})`, undefined, { issues: [{ ...fieldOf(position.place, 'symbol'), message: `unknown symbol ${position.symbol}` }], issuesInMessage: true });
    if (instrument.currency !== currency) {
      throw new InvalidInputError(
        `${instrument.exchange}:${instrument.symbol} trades in ${instrument.currency} but the account is in ${currency} (${position.location})`,
        'rebalance each currency with its own account and broker',
      );
    }
    const key = instrumentKey(instrument.exchange, instrument.symbol);
    listed.add(key);
    const quote = quoteOf(snapshot, instrument);
    const current = owned.get(key)?.quantity ?? 0;
    drafts.push({ instrument, quote, current, target: targetQuantity(position, instrument, quote, investable), position, notes: [] });
  }
  return { drafts, listed };
}

function targetQuantity(position: TargetPosition, instrument: Instrument, quote: Quote, investable: number): number {
  const refPrice = position.decisionPrice ?? quote.last;
  const lot = instrument.lotSize;
  switch (position.amount.kind) {
    case 'quantity':
      return position.amount.quantity;
    case 'weight':
      return Math.floor((position.amount.weight * investable) / refPrice / lot) * lot;
    case 'value':
      return Math.floor(position.amount.value / refPrice / lot) * lot;
  }
}

/**
 * Holdings the target does not list: sold with `liquidateUnlisted`, else left alone and said so
 * (a target file that forgets a symbol must not sell it).
 */
export function draftUnlisted(snapshot: AccountSnapshot, owned: Owned, listed: ReadonlySet<string>, liquidateUnlisted: boolean | undefined, skipped: Plan['skipped']): Draft[] {
  const drafts: Draft[] = [];
  for (const [key, o] of owned) {
    if (listed.has(key) || o.quantity === 0) continue;
    const instrument = snapshot.instruments.get(key);
    if (liquidateUnlisted && instrument) {
      drafts.push({ instrument, quote: quoteOf(snapshot, instrument), current: o.quantity, target: 0, notes: ['not in the target: sold (--liquidate-unlisted)'] });
    } else {
      skipped.push({ symbol: o.symbol, exchange: o.exchange, reason: 'held but not in the target: left as is (--liquidate-unlisted sells it)' });
    }
  }
  return drafts;
}

/** The snapshot's quote of an instrument: the snapshot holds one for every instrument it lists. */
function quoteOf(snapshot: AccountSnapshot, i: Instrument): Quote {
  return snapshot.quotes.get(instrumentKey(i.exchange, i.symbol))!;
}
