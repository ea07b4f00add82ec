import type { Broker } from '../brokers/broker.js';
import type { Clock } from '../domain/clock.js';
import { RebalanceService } from '../engine/rebalance/rebalance-service.js';
import type { Config } from '../lib/config.js';
import type { Store } from '../store/store.js';
import { postTradeHooks } from './post-trade-services.js';
import { storePorts } from './store-ports.js';

/**
 * Records what the broker did with orders finished runs left working (a bracket's exits):
 * fills (with their charges and settlement dates), status changes and resizes. Sends nothing.
 * Returns the runs it looked at.
 */
export function catchUpLeftWorking(store: Store, broker: Broker, clock: Clock, config: Config): Promise<string[]> {
  const service = new RebalanceService({ log: store, ...storePorts(store), broker, clock, afterFills: postTradeHooks(store, config, broker.id).afterFills });
  return service.catchUpLeftWorking();
}
