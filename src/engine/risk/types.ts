import type { NewEvent } from '../../domain/events/index.js';
import type { Exchange } from '../../domain/instrument.js';
import type { Side } from '../../domain/side.js';
import type { RiskReason, RiskVerdict } from '../../domain/risk-reason.js';

export type { RiskLevel, RiskReason, RiskRule, RiskVerdict } from '../../domain/risk-reason.js';

export interface LegRiskResult {
  leg: number;
  symbol: string;
  exchange: Exchange;
  side: Side;
  verdict: RiskVerdict;
  reasons: RiskReason[];
}

export interface PlanRiskResult {
  /** The worst leg or run verdict. */
  verdict: RiskVerdict;
  legs: LegRiskResult[];
  /** Reasons about the run as a whole (turnover, order count, buying power totals). */
  run: RiskReason[];
  counts: { pass: number; warn: number; block: number };
}

export interface OrderRiskResult {
  verdict: RiskVerdict;
  reasons: RiskReason[];
  /** The `risk.checked` event recording this decision, to append with the order event. */
  events: NewEvent[];
  /** For an order held back by the rate limit: when a token is next available (clock ms). */
  retryAt?: number;
}

export function verdictOf(reasons: readonly RiskReason[]): RiskVerdict {
  let verdict: RiskVerdict = 'pass';
  for (const r of reasons) {
    if (r.level === 'block') return 'block';
    verdict = 'warn';
  }
  return verdict;
}

/** An order as the short-sell rule sees it (from the store). */
export interface RecentOrder {
  clientOrderId: string;
  runId: string | null;
  parentId: string | null;
  symbol: string;
  exchange: string;
  side: Side;
  quantity: number;
  filledQuantity: number;
  status: string;
  createdAt: number;
  /** The linked group (bracket or OCO) the order belongs to: at most one of a group's exits fills. */
  linkGroup?: string | null;
}

/** An earlier run of the same target that traded: some of its orders filled or may still fill. */
export interface SameTargetRun {
  runId: string;
  status: string;
  /** Its legs with such orders, and those orders (each counted once). */
  legs: number;
  orders: number;
  /** When the last of those orders was created (epoch ms). */
  lastOrderAt: number;
}

/** A parent order (a leg) of another run that is still working, with what identifies its content. */
export interface WorkingParent {
  clientOrderId: string;
  runId: string;
  symbol: string;
  exchange: string;
  side: Side;
  type: string;
  quantity: number;
  limitPrice: number | null;
  algo: string | null;
  filledQuantity: number;
}

/**
 * What the risk engine needs from the order history. The engine does not import the store;
 * `src/store/risk-queries.ts` implements this over SQLite, across runs and processes.
 */
export interface OrderHistory {
  /** Other runs of the account on `tradingDate` with the same target content that traded, latest first. */
  sameTargetRuns(query: { broker: string; account: string; targetHash: string; tradingDate: string; excludeRunId?: string }): SameTargetRun[];
  /** Parent orders of other runs of the account on `tradingDate` that are still working. */
  workingParents(query: { broker: string; account: string; tradingDate: string; excludeRunId?: string }): WorkingParent[];
  /** Orders at the broker that may still fill (live, not parents of other orders). */
  workingOrders(query: { broker: string; account: string; excludeRunId?: string }): RecentOrder[];
  /** How many orders runs of the account sent to the broker on `tradingDate` (for a broker's daily limit). */
  ordersSentOn?(query: { broker: string; account: string; tradingDate: string }): number;
}

export interface HaltStatus {
  halted: boolean;
  /** Why, as given to `ptexec halt --reason`. */
  reason?: string;
  /** When the switch last changed (epoch ms). */
  at?: number;
  cancelOpen: boolean;
}

/** Reads the kill switch; implemented over the database so every process sees one state. */
export interface HaltReader {
  isHalted(): HaltStatus;
}
