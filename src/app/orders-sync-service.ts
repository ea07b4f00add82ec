import { listOrders, type OrderRow } from '../store/queries.js';
import type { Factory } from './factory.js';

/**
 * `ptexec orders sync`: records what became of the orders finished runs left working at the
 * broker (a bracket's exits): fills, cancels, expiries. Sends nothing.
 */
export async function syncLeftWorking(f: Factory, brokerFlag?: string): Promise<{ broker: string; account: string; runs: string[]; orders: OrderRow[] }> {
  const id = await f.chooseBroker(brokerFlag);
  const broker = await f.broker(id);
  const runs = await f.catchUpLeftWorking(id);
  const store = f.store();
  const orders = runs.flatMap((runId) => listOrders(store, { runId, childrenOnly: true, linked: true, limit: null }));
  return { broker: broker.id, account: broker.account, runs, orders };
}
