import type { EventType } from '../../domain/events/index.js';
import { coreProjector } from './core.js';
import { linkedOrdersProjector } from './linked-orders.js';
import { orderSendsProjector } from './order-sends.js';
import { postTradeProjector } from './posttrade.js';
import type { Projector } from './projector.js';
import { riskProjector } from './risk.js';

/** Every area's projector, in the order they see an event. Each keeps its own file. */
export const projectors = [coreProjector, postTradeProjector, riskProjector, linkedOrdersProjector, orderSendsProjector] as const;

/**
 * The projectors each event type changes, in order; none for the facts that are read from the
 * log itself (alerts, controls, pauses, risk decisions). A new event type is placed here or the
 * store does not compile.
 */
export const PROJECTED_BY: { readonly [T in EventType]: readonly Projector<T>[] } = {
  'run.created': [coreProjector],
  'run.planned': [coreProjector],
  'run.status': [coreProjector],
  'run.control': [],
  'run.alert': [],
  'leg.paused': [],
  'leg.resumed': [],
  'run.breaker_tripped': [],
  'run.failover': [],
  'order.created': [coreProjector, linkedOrdersProjector],
  'order.status': [coreProjector, orderSendsProjector],
  'order.resized': [linkedOrdersProjector],
  'fill.recorded': [coreProjector],
  'risk.checked': [],
  'risk.halted': [riskProjector],
  'risk.unhalted': [riskProjector],
  'charges.booked': [postTradeProjector],
  'settlement.scheduled': [postTradeProjector],
  'settlement.resolved': [postTradeProjector],
  'account.snapshot': [postTradeProjector],
  'market.sampled': [postTradeProjector],
  'notification.sent': [],
  'notification.failed': [],
};
