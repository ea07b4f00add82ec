import { moneyText, percentText, sharesText } from './figures-text.js';
import type { LegProblem } from './leg-problem.js';

/**
 * Why candidate `ci` cannot take `quantity` shares of the leg in one part, or undefined when it
 * can: shares to sell, cash to buy (after the account's own sells in the plan), a `max-share`
 * rule. These depend on what earlier legs took, so they are checked leg by leg.
 */
export function shortfall(p: LegProblem, ci: number, quantity: number): string | undefined {
  const c = p.candidates[ci]!;
  const room = p.room(c.alias);
  const { symbol } = p.leg;
  if (p.leg.side === 'sell' && room.shares < quantity) return room.shares === 0 ? `holds no ${symbol} to sell` : `holds ${sharesText(room.shares)} of ${sharesText(quantity)} ${symbol}`;
  if (p.leg.side === 'buy') {
    const cost = p.cashFlow(ci, quantity);
    if (cost > room.cash) return `cash ${moneyText(room.cash, c.account.currency)} short of ${moneyText(cost, c.account.currency)}`;
  }
  if (room.maxQuantity < quantity) return `routing rule max-share ${percentText(room.maxShare, 1)}: at most ${sharesText(room.maxQuantity)} of ${sharesText(quantity)}`;
  return undefined;
}
