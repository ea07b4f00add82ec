/** The smart order router: which account and venue take each leg of a plan, and why. */
export type { BrokerHealth, ExecutionQuality, RoutableAccount, RoutableLeg, RouteDecision, RouteLegs, RoutePart, RoutingPolicy, RoutingRule, VenueQuote } from './types.js';
export { routeLegs } from './route-legs.js';
export { DEFAULT_ROUTING_POLICY } from './default-policy.js';
export { sellableKey } from './sellable.js';
export { scheduleCharges } from './schedule-charges.js';
