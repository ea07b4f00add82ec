import { moneyText, percentText, sharesText } from './figures-text.js';
import type { LegProblem } from './leg-problem.js';

/** What keeps an account from taking a whole leg: its shares (a sell), its cash (a buy), a `max-share` rule. */
export type Shortfall = 'shares' | 'cash' | 'cap';

/**
 * Why candidate `ci` cannot take `quantity` shares of the leg in one part, or undefined when it
 * can: shares to sell, cash to buy (after the account's own sells in the plan) or to pay a sell's
 * charges beyond its proceeds, a `max-share`
 * rule. These depend on what earlier legs took, so they are checked leg by leg.
 */
export function shortfall(p: LegProblem, ci: number, quantity: number): Shortfall | undefined {
  const room = p.room(p.candidates[ci]!.alias);
  if (p.leg.side === 'sell' && room.shares < quantity) return 'shares';
  // A sell whose charges exceed its proceeds is paid from the account's cash.
  if (p.leg.side === 'sell' && p.cashFlow(ci, quantity) < -room.cash) return 'cash';
  if (p.leg.side === 'buy' && (quantity * p.candidates[ci]!.figures.cashPrice > room.cash || p.cashFlow(ci, quantity) > room.cash)) return 'cash';
  if (room.maxQuantity < quantity) return 'cap';
  return undefined;
}

/** The shortfall as a PM reads it: `holds 300 of 1,200 INFY`, `cash ₹2,000 short of ₹1,50,070`. Made only when shown. */
export function shortfallText(p: LegProblem, ci: number, quantity: number): string {
  const c = p.candidates[ci]!;
  const room = p.room(c.alias);
  const { symbol } = p.leg;
  const kind = shortfall(p, ci, quantity) ?? (p.leg.side === 'buy' ? 'cash' : undefined);
  switch (kind) {
    case 'shares':
      return room.shares === 0 ? `holds no ${symbol} to sell` : `holds ${sharesText(room.shares)} of ${sharesText(quantity)} ${symbol}`;
    case 'cash':
      if (p.leg.side === 'sell') return `charges ${moneyText(p.exactCharges(ci, quantity), c.account.currency)} exceed the proceeds ${moneyText(quantity * c.figures.cashPrice, c.account.currency)} and cash ${moneyText(room.cash, c.account.currency)}`;
      return `cash ${moneyText(room.cash, c.account.currency)} short of ${moneyText(p.exactCashFlow(ci, quantity), c.account.currency)}`;
    case 'cap':
      return `routing rule max-share ${percentText(room.maxShare, 1)}: at most ${sharesText(room.maxQuantity)} of ${sharesText(quantity)}`;
    default:
      return 'can take it';
  }
}
