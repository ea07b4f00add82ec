import type { NewEvent } from '../../domain/events/index.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { OrderRequest } from '../../domain/order.js';
import type { Leg } from '../../domain/plan.js';

/** The pre-trade gate every child order passes just before it is sent. */
export interface OrderGuard {
  checkOrder(
    request: OrderRequest,
    ctx: { runId: string; parentId: string; leg: Leg; instrument: Instrument; quote?: Quote; now: number },
  ): {
    verdict: 'pass' | 'warn' | 'block';
    reasons: { rule: string; message: string }[];
    /** Set when the only block is the order rate: the same order may be checked again then. */
    retryAt?: number;
    events?: NewEvent[];
  };
}

/** The kill switch as the runtime sees it (polled). */
export interface HaltState {
  isHalted(): { halted: boolean; reason?: string; cancelOpen?: boolean };
}
