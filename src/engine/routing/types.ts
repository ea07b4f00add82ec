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
  /**
   * Shares this account may sell today, per `SYMBOL@EXCHANGE` key (`sellableKey`, T+1 respected),
   * each holding listed once. A sell leg may use the entries of every exchange it can trade on
   * (Indian shares sit at the depository and sell on NSE or BSE alike).
   */
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
  /**
   * Shares this account owns per symbol (as the legs spell it), settled or not (T+1 and today's trades
   * included): what its `definition.share` of a household target is measured against. Absent = none.
   */
  holdings?: ReadonlyMap<string, number>;
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
  /** Shares per lot: every part is whole lots (absent = 1). */
  lotSize?: number;
  /** Average daily volume, shares: impact is then a share of volume, else of displayed depth. */
  adv?: number;
  /** Annualised volatility, fraction; absent = the policy's impact default. */
  volatility?: number;
  /**
   * The household's quantity of this line once the plan is done (a consolidated target's line).
   * When accounts declare a `share`, each account's part of the leg moves it toward its share of
   * this quantity (`share-allocation.ts`); absent = the leg is routed by the weights alone.
   */
  householdTarget?: number;
}

/** The router's configurable weights (`routing.weights`) and hard rules (`routing.rules`). */
export interface RoutingPolicy {
  weights: { cost: number; quality: number; liquidity: number; health: number; latency: number };
  /** Split a leg across accounts/venues when it lowers expected cost; parts never below this many shares. */
  split: { enabled: boolean; minQuantity: number };
  rules: readonly RoutingRule[];
  /**
   * The square-root impact law of the cost estimate (README "Cost estimates"): impact in bps =
   * coefficient · σ_daily · √(Q / liquidity) · 10⁴, σ from the leg or `volatility` here.
   * Absent = the shipped cost model's temporary impact (0.5) and default volatility (0.3).
   */
  impact?: { coefficient: number; volatility: number };
}

/**
 * Hard rules, applied before any weighing: `only` (legs of these symbols, or every leg, go only to
 * these accounts), `never` (never to these accounts), `max-share` (an account takes at most this
 * share, 0–1, of any one leg's quantity).
 */
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
  /**
   * The part's weighted score in bps of its value, lower is better: cost, impact (liquidity),
   * measured quality, health and latency, each times its weight (README "Routing").
   */
  score: number;
  /** The parts of `expectedCost`, minor units. */
  charges: number;
  halfSpread: number;
  impact: number;
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
