import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/broker-errors.js';
import type { OrderRequest } from '../../domain/order.js';
import type { Broker, BrokerOrder } from '../broker.js';

export interface ResolutionOptions {
  clock: Clock;
  /** Order-book lookups before concluding the order never arrived. */
  lookupAttempts?: number;
  /** Wait before each lookup (ms): the broker's book may lag the acceptance. */
  delayMs?: number;
}

export interface PlacementOutcome {
  brokerOrderId: string;
  /** `placed`: answered at once; `found`: outcome was unknown and the order was in the book; `resent`: it was not, and was sent again. */
  resolved: 'placed' | 'found' | 'resent';
  /** The order as found in the book, when resolved by lookup. */
  order?: BrokerOrder;
}

/**
 * Places an order without ever creating a duplicate. Adapters never retry a placement: on a
 * timeout or reset they throw BrokerError('unknown_outcome'). This looks the order up by its
 * client order id (Kite `tag`, Alpaca `client_order_id`, …) and re-sends only when every
 * lookup answered and the last one still did not find it. A lookup that fails leaves the
 * outcome unknown, so the error is re-thrown rather than risking a second order.
 */
export async function placeWithResolution(broker: Broker, request: OrderRequest, options: ResolutionOptions): Promise<PlacementOutcome> {
  const attempts = options.lookupAttempts ?? 3;
  const delayMs = options.delayMs ?? 1_000;
  try {
    const placed = await broker.placeOrder(request);
    return { brokerOrderId: placed.brokerOrderId, resolved: 'placed' };
  } catch (err) {
    if (!isBrokerError(err, 'unknown_outcome')) throw err;
    let lastLookupFailed: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      await options.clock.sleep(delayMs * (attempt + 1));
      try {
        const order = await broker.findOrderByClientId(request.clientOrderId);
        lastLookupFailed = undefined;
        if (order) return { brokerOrderId: order.brokerOrderId, resolved: 'found', order };
      } catch (lookupErr) {
        if (isBrokerError(lookupErr, 'auth')) throw lookupErr;
        lastLookupFailed = lookupErr;
      }
    }
    if (lastLookupFailed !== undefined) {
      throw new BrokerError(
        'unknown_outcome',
        `order ${request.clientOrderId}: outcome unknown and the order book could not be read (${(lastLookupFailed as Error).message}); not re-sending`,
        broker.id,
        { code: 'unresolved' },
      );
    }
    const resent = await broker.placeOrder(request);
    return { brokerOrderId: resent.brokerOrderId, resolved: 'resent' };
  }
}
