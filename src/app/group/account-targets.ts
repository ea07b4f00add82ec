import { instrumentKey } from '../../domain/instrument.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { AccountSnapshot } from '../../domain/plan.js';
import type { TargetPortfolio, TargetPosition } from '../../domain/target-portfolio.js';
import type { Allocation } from './route-input.js';

/** One account's share of a routed group plan, as a target that account's own run plans. */
export interface AccountTarget {
  target: TargetPortfolio;
  /** The run's identity: the same routed legs on the same day are the same run. */
  text: string;
}

/**
 * What the router gave an account, as a target of share quantities: each routed symbol at what
 * the account owns plus its buys or less its sells, carrying the group line's prices, algorithm
 * and order type. Nothing else is listed, so the account's run trades exactly its routed legs
 * (holdings the target does not list are left alone, and the group's cash buffer, bands and
 * minimum trade value were applied to the group's plan already).
 */
export function accountTarget(group: TargetPortfolio, snapshot: AccountSnapshot, allocations: readonly Allocation[], groupId: string): AccountTarget {
  const owned = ownedInstruments(snapshot);
  const positions: TargetPosition[] = allocations.map((a) => {
    const held = owned.get(instrumentKey(a.exchange, a.symbol))?.quantity ?? 0;
    const line = groupLine(group, a.symbol, a.exchange);
    const quantity = a.side === 'buy' ? held + a.quantity : held - a.quantity;
    const { band: _band, amount: _amount, ...carried } = line ?? { place: { file: 'group' }, location: `group ${groupId}` };
    return { ...carried, symbol: a.symbol, exchange: a.exchange, amount: { kind: 'quantity', quantity } } as TargetPosition;
  });
  const text = JSON.stringify({ group: groupId, legs: allocations.map((a) => [a.symbol, a.exchange, a.side, a.quantity]) });
  return { target: { positions, cashBufferPct: 0 }, text };
}

function groupLine(group: TargetPortfolio, symbol: string, exchange: string): TargetPosition | undefined {
  return group.positions.find((p) => p.symbol === symbol && (p.exchange === undefined || p.exchange === exchange));
}
