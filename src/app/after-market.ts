import type { Broker } from '../brokers/broker.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { ExecutionSpec } from '../domain/plan.js';
import type { TargetPortfolio } from '../domain/target-portfolio.js';

/** Algorithms that send each leg once: an after-market order is queued whole for the next session's open. */
const ONE_ORDER_ALGOS = new Set(['market', 'limit']);

/**
 * `rebalance --amo`: every leg is sent once, as an after-market order. A scheduled algorithm
 * (twap, vwap, …) has no meaning before the session opens, so it is refused, from the flags or
 * from a line of the target, before any broker is opened (exit 2).
 */
export function afterMarketExecution(execution: ExecutionSpec, target: TargetPortfolio): ExecutionSpec {
  if (!ONE_ORDER_ALGOS.has(execution.algo)) throw new InvalidInputError(`--amo sends each leg once as an after-market order; --algo ${execution.algo} cannot be used with it`, 'use --algo market or --algo limit with --amo, or drop --amo');
  const scheduled = target.positions.find((p) => p.algo !== undefined && !ONE_ORDER_ALGOS.has(p.algo));
  if (scheduled) throw new InvalidInputError(`${scheduled.location}: algo ${scheduled.algo} cannot be sent as an after-market order (--amo)`, 'give the line algo market or limit, or drop --amo');
  return { ...execution, afterMarket: true };
}

/** Refused before anything is sent on a broker without after-market orders (the paper broker, Groww). */
export function refuseWithoutAfterMarket(broker: Broker): void {
  if (broker.capabilities.afterMarketOrders) return;
  const why = broker.capabilities.simulatedMarket ? 'the paper broker does not simulate after-market orders' : `${broker.id} takes no after-market orders`;
  throw new InvalidInputError(`--amo: ${why}; nothing was sent`, broker.capabilities.simulatedMarket ? 'on paper, run `rebalance --at open` to trade at the next open' : 'run `rebalance --at open` to trade at the next open instead');
}
