import type { ExecutionSpec } from '../../domain/plan.js';

/**
 * How a leg's orders meet the book, as the cost model prices them: `taking` orders cross the
 * spread and sweep depth (market orders, market children, limits priced more aggressively than
 * the near touch); `passive` ones rest at the near touch and fill as the market comes to them
 * (limit children of the scheduled algorithms and of iceberg, a limit order at the touch or with
 * a price of its own).
 */
export type ExecutionStyle = 'taking' | 'passive';

export function executionStyle(execution: Pick<ExecutionSpec, 'algo' | 'orderType' | 'params'>): ExecutionStyle {
  if (execution.orderType !== 'limit' || execution.algo === 'market') return 'taking';
  if (execution.params['child_type'] === 'market') return 'taking';
  const offset = Number(execution.params['offset_bps'] ?? 0);
  return Number.isFinite(offset) && offset > 0 ? 'taking' : 'passive';
}
