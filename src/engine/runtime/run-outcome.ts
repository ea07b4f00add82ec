import type { ExitRole } from '../../domain/events/index.js';
import type { OrderStatus } from '../../domain/order.js';
import type { Leg } from '../../domain/plan.js';
import { isProtective } from './linked-exits.js';
import { legOutcome, type LegOutcome, type RunState } from './runtime-state.js';

export interface LegResult {
  leg: number;
  parentId: string;
  symbol: string;
  exchange: string;
  side: Leg['side'];
  quantity: number;
  filled: number;
  averagePrice: number;
  outcome: LegOutcome;
  reason?: string;
  clientOrderIds: string[];
  /** A bracket's exits, left working at the broker when the leg ends (README "Order types"). */
  protectiveOrders: { clientOrderId: string; role: ExitRole; status: OrderStatus }[];
}

export interface RunOutcome {
  status: 'completed' | 'incomplete' | 'interrupted';
  reason?: string;
  legs: LegResult[];
}

/** How the run stands when the runtime returns: each leg's result, and why the run stopped if it did. */
export function runOutcome(run: RunState): RunOutcome {
  const legs = [...run.parents.values()]
    .sort((a, b) => a.leg.index - b.leg.index)
    .map<LegResult>((p) => ({
      leg: p.leg.index,
      parentId: p.parentId,
      symbol: p.leg.symbol,
      exchange: p.leg.exchange,
      side: p.leg.side,
      quantity: p.leg.quantity,
      filled: p.filled,
      averagePrice: p.filled ? p.filledValue / p.filled : 0,
      outcome: legOutcome(p),
      reason: legOutcome(p) === 'complete' ? undefined : (p.lastReason ?? [...p.children].reverse().find((c) => c.reason)?.reason),
      clientOrderIds: p.children.map((c) => c.clientOrderId),
      protectiveOrders: p.children.filter((c) => isProtective(c, p)).map((c) => ({ clientOrderId: c.clientOrderId, role: c.exitRole!, status: c.status })),
    }));
  const { halted, interrupted } = run;
  if (halted) return { status: 'interrupted', reason: `kill switch: ${halted.reason}`, legs };
  if (interrupted) return { status: 'interrupted', reason: interrupted, legs };
  return { status: legs.every((l) => l.outcome === 'complete') ? 'completed' : 'incomplete', legs };
}
