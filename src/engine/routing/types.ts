import type { AccountDefinition } from '../../domain/accounts.js';
import type { Exchange } from '../../domain/instrument.js';
import type { Currency } from '../../domain/money.js';
import type { OrderType } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';

/**
 * The router's inputs and outputs. The router is pure: the caller gathers each account's state
 * (snapshot, charges, rate budget, health, measured quality) and each leg's venues, and gets back
 * one decision per leg with its reasons, which are recorded and shown (`why`).
 */

/** One account as the router sees it at the moment of deciding. */
export interface RoutableAccount {
  definition: AccountDefinition;
  currency: Currency;
  /** Cash available to buy, minor units, before this plan's sells in this account. */
  cash: number;
  /** Shares this account may sell today, per `SYMBOL@EXCHANGE` key (T+1 respected). */
  sellable: ReadonlyMap<string, number>;
  capabilities: {
    orderTypes: readonly OrderType[];
    orderClasses: readonly ('bracket' | 'oco')[];
    nativeIceberg: boolean;
    afterMarketOrders: boolean;
    exchanges: readonly Exchange[];
  };
  /** Estimated charges in minor units for one trade of this size here (the broker's schedule). */
  charges(trade: { symbol: string; exchange: Exchange; side: Side; quantity: number; price: number }): number;
  /** Orders the broker's rate limits still allow today (Infinity when unlimited). */
  ordersLeftToday: number;
  health: BrokerHealth;
  /** Measured execution quality from our own history (`brokers scorecard`); absent = no history. */
  quality?: ExecutionQuality;
}

export interface BrokerHealth {
  breaker: 'closed' | 'half-open' | 'open';
  /** Whether the broker's session is usable now (logged in, not expired). */
  sessionUsable: boolean;
  /** Share of recent requests that failed, 0–1. */
  errorRate: number;
  /** Median latency of recent requests, ms; absent = not measured. */
  latencyMs?: number;
}

/** One broker's (or account's) measured quality, from TCA history. Sign conventions: EXECUTION.md. */
export interface ExecutionQuality {
  legs: number;
  /** Mean slippage against arrival in bps (positive = cost). */
  slippageBps: number;
  /** Filled ÷ ordered, 0–1. */
  fillRate: number;
  /** Rejected child orders ÷ child orders, 0–1. */
  rejectRate: number;
  /** Median send-to-acknowledgement latency, ms. */
  latencyMs?: number;
}

/** A venue the leg could trade on, with its quote (minor units) and displayed depth (shares). */
export interface VenueQuote {
  exchange: Exchange;
  bid: number;
  ask: number;
  bidDepth: number;
  askDepth: number;
}

/** One leg of a plan before routing. */
export interface RoutableLeg {
  key: string;
  symbol: string;
  side: Side;
  quantity: number;
  /** Reference price, minor units. */
  price: number;
  orderType: OrderType;
  orderClass?: 'bracket' | 'oco';
  nativeIceberg?: boolean;
  afterMarket?: boolean;
  venues: readonly VenueQuote[];
  /** Route only to this account (a per-account target line). */
  account?: string;
}

/** The router's configurable weights (`routing.weights`) and hard rules (`routing.rules`). */
export interface RoutingPolicy {
  weights: { cost: number; quality: number; liquidity: number; health: number; latency: number };
  /** Split a leg across accounts/venues when it lowers expected cost; parts never below this many shares. */
  split: { enabled: boolean; minQuantity: number };
  rules: readonly RoutingRule[];
}

export type RoutingRule =
  | { kind: 'only'; symbols?: readonly string[]; accounts: readonly string[] }
  | { kind: 'never'; symbols?: readonly string[]; accounts: readonly string[] }
  | { kind: 'max-share'; account: string; share: number };

/** Where one part of a leg goes, and why. */
export interface RoutePart {
  account: string;
  exchange: Exchange;
  quantity: number;
  /** Expected cost of this part in minor units (charges + half spread + impact). */
  expectedCost: number;
  score: number;
}

export interface RouteDecision {
  legKey: string;
  parts: readonly RoutePart[];
  /** Accounts considered and left out, each with its reason (no shares, no cash, breaker open, …). */
  excluded: readonly { account: string; reason: string }[];
  /** One line a PM reads in the plan: why this leg goes where it goes. */
  why: string;
}

/** The router: one decision per leg, in the legs' order; pure and deterministic (ties broken by alias). */
export type RouteLegs = (legs: readonly RoutableLeg[], accounts: readonly RoutableAccount[], policy: RoutingPolicy) => RouteDecision[];
