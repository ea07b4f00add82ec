import type { Currency } from '../../domain/money.js';
import type { Side } from '../../domain/side.js';

/**
 * What the broker scorecard reads from our own executions: rows of the `orders`, `order_sends`,
 * `fills` and `charge_allocations` projections, one per leg, per child order sent and per fill.
 * Prices and money are integer minor units; times are the wall-clock milliseconds of recording.
 */

/** A leg (a parent order): what was ordered, what of it filled, and the arrival price it is measured against. */
export interface ScorecardLeg {
  broker: string;
  account: string;
  runId: string;
  exchange: string;
  side: Side;
  ordered: number;
  /** Shares of the fills that advanced the leg (a bracket's exits are not the leg's execution). */
  filled: number;
  /** Σ q·p of those fills. */
  filledValue: number;
  /** P_0, the mid when the leg started; null when none was recorded. */
  arrivalPrice: number | null;
}

/** A child order that was sent to the broker (it reached `pending_submit`). */
export interface ScorecardChild {
  broker: string;
  account: string;
  /** Its status now. */
  status: string;
  /** When the send was recorded (the intent, just before the request left). */
  sentAt: number;
  /** When the broker's acknowledgement of that send was recorded; null when none came directly. */
  acknowledgedAt: number | null;
  /** Whether the send's outcome was ever unknown (a timeout, a reset), to be resolved by a look-up. */
  unknownOutcome: boolean;
}

/** One of our fills, with the charges booked on it (null when none were booked). */
export interface ScorecardFill {
  broker: string;
  account: string;
  exchange: string;
  quantity: number;
  price: number;
  charges: number | null;
}

export interface ScorecardRows {
  legs: readonly ScorecardLeg[];
  children: readonly ScorecardChild[];
  fills: readonly ScorecardFill[];
}

/** The money figures of one currency: never summed with another currency's. */
export interface CurrencyFigures {
  currency: Currency;
  legs: number;
  fills: number;
  /** Σ q·p of every fill (exits included), minor units. */
  tradedValue: number;
  /** Value-weighted slippage against arrival, bps, positive = cost; null when nothing filled against a recorded arrival. */
  slippageBps: number | null;
  /** The legs the slippage is measured over (filled in part or whole, with an arrival price). */
  slippageLegs: number;
  /** Charges booked on the fills, minor units. */
  charges: number;
  /** Σ q·p of the fills that have charges booked: the base of `chargesBps`. */
  chargedValue: number;
  chargesBps: number | null;
}

/** Percentiles of the send → acknowledgement latency, ms (nearest rank). */
export interface LatencyFigures {
  /** Sends with a direct acknowledgement: the sample. */
  measured: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** One broker's (or one of its accounts') measured execution quality and cost. */
export interface Scorecard {
  broker: string;
  /** The broker's account id; null for a broker's total over several accounts. */
  account: string | null;
  runs: number;
  legs: number;
  ordered: number;
  filled: number;
  /** Filled ÷ ordered shares over the legs; null without legs. */
  fillRate: number | null;
  /** Child orders sent to the broker. */
  childOrders: number;
  rejected: number;
  cancelled: number;
  rejectRate: number | null;
  cancelRate: number | null;
  /** Sends whose outcome was unknown for a while; `unresolved` of them are unknown still. */
  unknownOutcomes: number;
  unresolved: number;
  latency: LatencyFigures;
  currencies: CurrencyFigures[];
}
