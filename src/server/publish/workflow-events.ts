import type { StoredEvent } from '../../domain/events/index.js';
import { FINISHED_RUN } from '../../domain/run-status.js';

/** The execution workflow's event kinds a downstream service consumes. */
export type WorkflowEvent = 'TradeExecutedEvent' | 'ExecutionStatusEvent' | 'TradeSettledEvent' | 'ExecutionQualityReportEvent';

/**
 * The workflow event an event stands for (the `Ptexec-Workflow-Event` header), or none:
 * a fill is a trade executed; an order's or a run's status change is an execution status; a
 * settlement confirmed or failed is a trade settled; a run reaching a final status is when its
 * quality report (`ptexec tca <run> --json`) is final.
 */
export function workflowEventOf(e: StoredEvent): WorkflowEvent | undefined {
  switch (e.type) {
    case 'fill.recorded':
      return 'TradeExecutedEvent';
    case 'order.status':
      return 'ExecutionStatusEvent';
    case 'run.status':
      return FINISHED_RUN.has(e.payload.status) ? 'ExecutionQualityReportEvent' : 'ExecutionStatusEvent';
    case 'settlement.resolved':
      return 'TradeSettledEvent';
    default:
      return undefined;
  }
}
