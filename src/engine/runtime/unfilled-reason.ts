import type { Quote } from '../../domain/instrument.js';
import { formatMinor } from '../../domain/money.js';
import { CANCEL_REASON } from './cancel-reasons.js';
import type { ParentOrder } from './runtime-state.js';

/**
 * Why a leg reached its deadline short of its quantity, in words a user can act on: the leg's
 * limit price kept the clean-up from crossing, the kill switch stopped sending, or the market did
 * not give the clean-up the shares in time.
 */
export function unfilledReason(parent: ParentOrder, quote: Quote | undefined, halted: { reason: string } | undefined): string {
  const left = parent.leg.quantity - parent.filled;
  const head = `${CANCEL_REASON.horizon} with ${left} of ${parent.leg.quantity} unfilled`;
  if (halted) return `${head}: the kill switch stopped sending (${halted.reason})`;
  const limit = parent.leg.limitPrice;
  if (limit !== undefined && quote) {
    const buy = parent.leg.side === 'buy';
    const far = buy ? quote.ask : quote.bid;
    if (buy ? far > limit : far < limit) return `${head}: the leg's limit price ${formatMinor(limit)} is ${buy ? 'below the ask' : 'above the bid'} ${formatMinor(far)}`;
  }
  if (parent.leg.execution.params['cleanup'] === 'leave') return `${head}: its clean-up is "leave"`;
  return `${head}: the market did not fill the clean-up before the deadline`;
}
