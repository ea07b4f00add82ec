import { maxShareOf, ruleRefusal } from './policy-rules.js';
import type { RoutableAccount, RoutableLeg, RoutingPolicy, VenueQuote } from './types.js';

/** An account's verdict on a leg before any weighing: the venues it may use, or why it may not take it. */
export type Eligibility = { ok: true; venues: readonly VenueQuote[] } | { ok: false; reason: string };

/**
 * The hard rules, in the order a PM would look for them: the leg's own account, the policy's
 * rules, the account's permissions, the broker's capabilities, its health and its order budget
 * (`ordersLeft`: what the plan's earlier legs left of it). Shares and cash are in capacity.ts.
 */
export function eligibility(leg: RoutableLeg, account: RoutableAccount, policy: RoutingPolicy, ordersLeft: number): Eligibility {
  const reason = accountRefusal(leg, account, policy) ?? capabilityRefusal(leg, account) ?? healthRefusal(account, ordersLeft);
  if (reason !== undefined) return { ok: false, reason };
  const listed = leg.venues.map((v) => v.exchange).join(', ');
  const offered = leg.venues.filter((v) => account.capabilities.exchanges.includes(v.exchange));
  if (offered.length === 0) return { ok: false, reason: `broker trades none of ${listed}` };
  const permitted = account.definition.permissions.exchanges;
  const venues = permitted === undefined ? offered : offered.filter((v) => permitted.includes(v.exchange));
  if (venues.length === 0) return { ok: false, reason: `not permitted on ${offered.map((v) => v.exchange).join(', ')}` };
  return { ok: true, venues };
}

function accountRefusal(leg: RoutableLeg, account: RoutableAccount, policy: RoutingPolicy): string | undefined {
  const { alias, permissions } = account.definition;
  if (leg.account !== undefined && leg.account !== alias) return `the leg is for ${leg.account}`;
  const ruled = ruleRefusal(leg, alias, policy.rules);
  if (ruled !== undefined) return ruled;
  if (maxShareOf(alias, policy.rules) <= 0) return 'routing rule max-share 0';
  if (leg.side === 'buy' && !permissions.buy) return 'not permitted to buy';
  if (leg.side === 'sell' && !permissions.sell) return 'not permitted to sell';
  if (permissions.orderTypes !== undefined && !permissions.orderTypes.includes(leg.orderType)) return `${leg.orderType} orders not permitted`;
  return undefined;
}

function capabilityRefusal(leg: RoutableLeg, account: RoutableAccount): string | undefined {
  const caps = account.capabilities;
  if (!caps.orderTypes.includes(leg.orderType)) return `broker has no ${leg.orderType} orders`;
  if (leg.orderClass !== undefined && !caps.orderClasses.includes(leg.orderClass)) return `broker has no ${leg.orderClass} orders`;
  if (leg.nativeIceberg === true && !caps.nativeIceberg) return 'broker has no native iceberg';
  if (leg.afterMarket === true && !caps.afterMarketOrders) return 'broker takes no after-market orders';
  return undefined;
}

function healthRefusal(account: RoutableAccount, ordersLeft: number): string | undefined {
  if (account.health.breaker === 'open') return 'circuit breaker open';
  if (!account.health.sessionUsable) return 'session not usable (log in)';
  if (!(ordersLeft >= 1)) return 'no orders left today (rate limit)';
  return undefined;
}
