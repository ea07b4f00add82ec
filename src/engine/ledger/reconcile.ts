import type { Funds, Holding, Position } from '../../domain/account.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { RecordedFill } from '../../domain/fill.js';
import { tradeKey } from './records.js';

/** What the broker reported at one moment (`account.snapshot`), ptexec's baseline. */
export interface AccountSnapshot {
  seq: number;
  ts: number;
  holdings: Holding[];
  positions: Position[];
  funds: Funds;
}

export type DifferenceCause = 'unsettled_t1' | 'outside_trades' | 'corporate_action' | 'charges_not_debited' | 'no_baseline' | 'outside_cash_movement';

export interface ReconcileDifference {
  kind: 'quantity' | 'unsettled_quantity' | 'cash';
  symbol: string | null;
  exchange: string | null;
  ours: number;
  broker: number;
  /** broker − ours. */
  difference: number;
  cause: DifferenceCause;
  explanation: string;
}

export interface ReconcileInput {
  /** The latest snapshot before the fills; null when ptexec has never recorded one. */
  baseline: AccountSnapshot | null;
  /** ptexec's fills after the baseline, oldest first. */
  fills: readonly RecordedFill[];
  charges: ReadonlyMap<string, number>;
  /** Quantity bought but not yet settled per symbol, and unsettled sale proceeds (our view). */
  pendingBuys: ReadonlyMap<string, number>;
  pendingSellProceeds: number;
  broker: { holdings: Holding[]; positions: Position[]; funds: Funds };
  options: {
    /**
     * Whether the broker's holdings already include today's delivery trades (the paper broker),
     * or report them as positions until the day ends (Kite and most Indian brokers): the
     * broker's `capabilities.holdingsIncludeTodaysTrades`.
     */
    holdingsIncludeToday: boolean;
    /** Whether the broker debits charges from cash (real brokers do; the paper broker does not). */
    brokerDebitsCharges: boolean;
  };
}

export interface ReconcileResult {
  positions: { symbol: string; exchange: string; ours: number; broker: number; brokerT1: number }[];
  cash: { currency: string; ours: number; broker: number };
  differences: ReconcileDifference[];
  notes: string[];
}

/** What the account owns per symbol (all exchanges together), as `ownedInstruments` defines it. */
function ownedFrom(holdings: readonly Holding[], positions: readonly Position[], holdingsIncludeTodaysTrades: boolean): Map<string, { exchange: string; owned: number; t1: number }> {
  const out = new Map<string, { exchange: string; owned: number; t1: number }>();
  for (const o of ownedInstruments({ holdings, positions, holdingsIncludeTodaysTrades }).values()) {
    const e = out.get(o.symbol) ?? { exchange: o.exchange, owned: 0, t1: 0 };
    e.owned += o.quantity;
    e.t1 += o.t1;
    out.set(o.symbol, e);
  }
  return out;
}

/** A split, bonus or consolidation turns n old shares into m new ones (small whole ratios). */
function looksLikeCorporateAction(ours: number, broker: number): boolean {
  if (ours <= 0 || broker <= 0 || ours === broker) return false;
  for (let m = 1; m <= 10; m++) for (let n = 1; n <= 10; n++) if (n !== m && broker * n === ours * m) return true;
  return false;
}

type Owned = Map<string, { exchange: string; owned: number; t1: number }>;

/**
 * Compares what ptexec believes the account holds (the last broker snapshot plus ptexec's fills
 * since) with what the broker reports now, and explains each difference with its likely cause.
 */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const { baseline, broker, options } = input;
  const notes: string[] = [];
  const { ours, cash, charges } = ourView(input);
  if (!options.brokerDebitsCharges && charges > 0) notes.push('this broker does not debit charges from cash; ptexec\'s cash excludes them too');
  if (!baseline) notes.push('no account snapshot yet: holdings from before ptexec are unknown (run `ptexec reconcile --accept` to record the broker\'s state as the baseline)');

  const theirs = ownedFrom(broker.holdings, broker.positions, options.holdingsIncludeToday);
  const symbols = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  const differences: ReconcileDifference[] = [];
  const positions: ReconcileResult['positions'] = [];
  for (const symbol of symbols) {
    const o = ours.get(symbol);
    const t = theirs.get(symbol);
    const exchange = t?.exchange ?? o?.exchange ?? '';
    const oursQty = o?.owned ?? 0;
    const brokerQty = t?.owned ?? 0;
    if (oursQty === 0 && brokerQty === 0) continue;
    positions.push({ symbol, exchange, ours: oursQty, broker: brokerQty, brokerT1: t?.t1 ?? 0 });
    const pending = input.pendingBuys.get(symbol) ?? 0;
    if (oursQty !== brokerQty) differences.push(quantityDifference(input, symbol, exchange, oursQty, brokerQty, pending));
    const brokerT1 = t?.t1 ?? 0;
    if (brokerT1 > pending) {
      differences.push({
        kind: 'unsettled_quantity',
        symbol,
        exchange,
        ours: pending,
        broker: brokerT1,
        difference: brokerT1 - pending,
        cause: 'unsettled_t1',
        explanation: `${brokerT1 - pending} still unsettled (T1) at the broker after its settlement date: delayed or failed settlement`,
      });
    }
  }

  const brokerCash = broker.funds.available;
  if (brokerCash !== cash) differences.push(cashDifference(input, cash, brokerCash, charges));
  return { positions, cash: { currency: broker.funds.currency, ours: cash, broker: brokerCash }, differences, notes };
}

/** What ptexec believes: the baseline's holdings and cash, moved by every fill since and its charges. */
function ourView(input: ReconcileInput): { ours: Owned; cash: number; charges: number } {
  const { baseline, options } = input;
  const ours: Owned = baseline ? ownedFrom(baseline.holdings, baseline.positions, options.holdingsIncludeToday) : new Map();
  let cash = baseline ? baseline.funds.available : 0;
  let charges = 0;
  for (const f of input.fills) {
    const e = ours.get(f.symbol) ?? { exchange: f.exchange, owned: 0, t1: 0 };
    e.owned += f.side === 'buy' ? f.quantity : -f.quantity;
    ours.set(f.symbol, e);
    const c = input.charges.get(tradeKey(f.broker, f.tradeId)) ?? 0;
    charges += c;
    const value = f.quantity * f.price;
    cash += f.side === 'buy' ? -value : value;
    if (options.brokerDebitsCharges) cash -= c;
  }
  return { ours, cash, charges };
}

/** A quantity the broker and ptexec disagree on, with its likeliest cause. */
function quantityDifference(input: ReconcileInput, symbol: string, exchange: string, oursQty: number, brokerQty: number, pending: number): ReconcileDifference {
  const diff = brokerQty - oursQty;
  let cause: DifferenceCause;
  let explanation: string;
  if (!input.baseline && oursQty === 0) {
    cause = 'no_baseline';
    explanation = 'held at the broker before ptexec recorded the account';
  } else if (looksLikeCorporateAction(oursQty, brokerQty)) {
    cause = 'corporate_action';
    explanation = `the broker holds ${brokerQty} for our ${oursQty}: a split, bonus or consolidation`;
  } else if (!input.options.holdingsIncludeToday && pending > 0 && diff === -pending) {
    cause = 'unsettled_t1';
    explanation = `${pending} bought but not yet in the broker's holdings (settles T+1)`;
  } else {
    cause = 'outside_trades';
    explanation = diff > 0 ? `the broker holds ${diff} more: bought outside ptexec, or a transfer in` : `the broker holds ${-diff} fewer: sold outside ptexec, or a transfer out`;
  }
  return { kind: 'quantity', symbol, exchange, ours: oursQty, broker: brokerQty, difference: diff, cause, explanation };
}

/** Cash the broker and ptexec disagree on, with its likeliest cause. */
function cashDifference(input: ReconcileInput, cash: number, brokerCash: number, charges: number): ReconcileDifference {
  const diff = brokerCash - cash;
  let cause: DifferenceCause;
  let explanation: string;
  if (!input.baseline) {
    cause = 'no_baseline';
    explanation = 'cash before ptexec is unknown';
  } else if (input.options.brokerDebitsCharges && diff === charges && charges > 0) {
    cause = 'charges_not_debited';
    explanation = 'the broker has not debited the charges yet (they post with the contract note)';
  } else if (diff === -input.pendingSellProceeds && diff !== 0) {
    cause = 'unsettled_t1';
    explanation = 'sale proceeds not yet credited (settle T+1)';
  } else {
    cause = 'outside_cash_movement';
    explanation = diff > 0 ? 'more cash at the broker: a deposit, a dividend, or a sale outside ptexec' : 'less cash at the broker: a withdrawal, other charges, or a purchase outside ptexec';
  }
  return { kind: 'cash', symbol: null, exchange: null, ours: cash, broker: brokerCash, difference: diff, cause, explanation };
}
