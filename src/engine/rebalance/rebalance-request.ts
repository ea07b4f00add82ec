import type { RouteNote } from '../../domain/events/index.js';
import type { TargetPortfolio } from '../../domain/target-portfolio.js';
import type { PlanOptions } from '../planner/plan-rebalance.js';

/** One rebalance as a front end asks for it. */
export interface RebalanceRequest {
  target: TargetPortfolio;
  /** The exact input text: part of the run id, so the same file on the same day is the same run. */
  targetText: string;
  source: string;
  tradingDate: string;
  /** Plan and check only: nothing is recorded or sent. */
  dryRun: boolean;
  runId?: string;
  newRun?: boolean;
  planOptions: PlanOptions;
  /** When legs are blocked by the checks, send the others. */
  allowPartial?: boolean;
  /** A target an earlier run traded today is a warning, not a block. */
  allowDuplicate?: boolean;
  /** Recorded with the run (flags, algorithm), never secrets. */
  options: Record<string, unknown>;
  /** One account's run of a group rebalance: the group, the run it fails over from, and each leg's routing. */
  group?: { id: string; failoverOf?: string; routes: RouteNote[] };
}
