import type { Broker } from '../brokers/broker.js';
import type { Clock } from '../domain/clock.js';
import type { RiskConfig } from '../engine/risk/index.js';
import { RebalanceService } from '../engine/rebalance/rebalance-service.js';
import type { RuntimeDeps } from '../engine/runtime/execution-runtime.js';
import type { Store } from '../store/store.js';
import { failpointFromEnv } from './failpoint.js';
import type { RunDisplay } from './run-display.js';
import { riskGuards } from './risk-services.js';
import { storePorts } from './store-ports.js';

/**
 * The rebalance service wired as every command that executes a run needs it: the store, the
 * risk gate and kill switch, post-trade bookings, Ctrl-C and the display.
 */
export async function runServiceFor(deps: {
  store: Store;
  broker: Broker;
  clock: Clock;
  riskConfig: RiskConfig;
  signal: AbortSignal;
  display: RunDisplay;
  afterFills: RuntimeDeps['afterFills'];
}): Promise<RebalanceService> {
  const { store, broker } = deps;
  const risk = riskGuards(store, deps.riskConfig, broker, (await broker.funds()).currency);
  return new RebalanceService({
    log: store,
    ...storePorts(store),
    broker,
    clock: deps.clock,
    guard: risk.guard,
    halt: risk.halt,
    signal: deps.signal,
    onEvents: deps.display.onEvents,
    // A connection that may not grow by another page is a full disk, as SQLite reports it.
    failpoint: failpointFromEnv(process.env, { diskFull: () => store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`) }),
    afterFills: deps.afterFills,
    runtimeOptions: { pollMs: risk.pollMs },
  });
}
