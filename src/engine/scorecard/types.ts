import type { Currency } from '../../domain/money.js';
import type { Side } from '../../domain/side.js';

/**
 * What the broker scorecard reads from our own executions: totals the store sums over the
 * `orders`, `order_sends`, `fills` and `charge_allocations` projections, a few rows per run and
 * per broker account however many orders and fills there were. Money is minor units; latencies
 * are wall-clock milliseconds between recordings.
 */

/** The legs (parent orders) of one run on one exchange and side. */
export interface LegTotals {
  broker: string;
  account: string;
  runId: string;
  exchange: string;
  side: Side;
  legs: number;
  ordered: number;
  /** Shares of the fills that advanced the legs (a bracket's exits are not a leg's execution). */
  filled: number;
  /** The legs that filled with an arrival price recorded: what slippage is measured over. */
  slippageLegs: number;
  /** Over those legs: Σ (Σq·p − f·P_0), unsigned (the side's sign is applied here), and Σ f·P_0. */
  paidOverArrival: number;
  arrivalValue: number;
}

/**
 * The child orders sent (those that reached `pending_submit`) for one broker account whose
 * sends were acknowledged this many ms after they were recorded (null: not acknowledged directly).
 */
export interface ChildTotals {
  broker: string;
  account: string;
  latencyMs: number | null;
  sent: number;
  rejected: number;
  cancelled: number;
  /** Of the cancelled, those we asked to cancel (an algorithm's cancel-and-replace, a stopped run); the rest the broker or exchange cancelled. */
  cancelledOnRequest: number;
  /** Sends whose outcome was unknown for a while (a timeout, a reset), resolved by a look-up. */
  unknownOutcomes: number;
  /** Of those, unknown still. */
  unresolved: number;
}

/** The fills of one broker account on one exchange. */
export interface FillTotals {
  broker: string;
  account: string;
  exchange: string;
  fills: number;
  /** Σ q·p of every fill (exits included). */
  tradedValue: number;
  /** Charges booked on the fills, and Σ q·p of the fills they were booked on. */
  charges: number;
  chargedValue: number;
}

export interface ScorecardRows {
  legs: readonly LegTotals[];
  children: readonly ChildTotals[];
  fills: readonly FillTotals[];
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
  /** Of the cancelled, those we asked to cancel. */
  cancelledOnRequest: number;
  rejectRate: number | null;
  cancelRate: number | null;
  /** Sends whose outcome was unknown for a while; `unresolved` of them are unknown still. */
  unknownOutcomes: number;
  unresolved: number;
  latency: LatencyFigures;
  currencies: CurrencyFigures[];
}
