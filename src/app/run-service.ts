import type { Broker } from '../brokers/broker.js';
import type { Clock } from '../domain/clock.js';
import type { RiskConfig } from '../engine/risk/index.js';
import { RebalanceService } from '../engine/rebalance/rebalance-service.js';
import type { RuntimeDeps } from '../engine/runtime/execution-runtime.js';
import type { Output } from '../lib/output.js';
import { describeHolder } from '../store/account-lock.js';
import type { Store } from '../store/store.js';
import { busyPolicy } from './busy-policy.js';
import { failpointFromEnv } from './failpoint.js';
import type { RunDisplay } from './run-display.js';
import { riskGuards } from './risk-services.js';
import { storePorts } from './store-ports.js';

/**
 * The rebalance service wired as every command that executes a run needs it: the store, the
 * risk gate and kill switch, post-trade bookings, Ctrl-C and the display, the account lock (a
 * takeover is announced; a lock lost to `ptexec unlock` or a takeover stops the run), and how
 * long to wait for another process writing to the database.
 */
export async function runServiceFor(deps: {
  store: Store;
  broker: Broker;
  clock: Clock;
  riskConfig: RiskConfig;
  signal: AbortSignal;
  /** Stops the run (as Ctrl-C does) with a reason. */
  stop: (reason: string) => void;
  out: Output;
  display: RunDisplay;
  afterFills: RuntimeDeps['afterFills'];
}): Promise<RebalanceService> {
  const { store, broker } = deps;
  const risk = riskGuards(store, deps.riskConfig, broker, (await broker.funds()).currency);
  const ports = storePorts(store, {
    onTakeover: (key, from, why) => deps.out.warn(`took over the lock on ${key} from ${describeHolder(from)}: ${why}`),
    onLost: (key, now) => deps.stop(`the lock on ${key} was ${now ? `taken over by ${describeHolder(now)}` : 'removed (ptexec unlock)'}; stopped sending`),
  });
  return new RebalanceService({
    log: store,
    runs: ports.runs,
    locks: ports.locks,
    busy: busyPolicy(ports.leaseEndsAt),
    broker,
    clock: deps.clock,
    guard: risk.guard,
    halt: risk.halt,
    signal: deps.signal,
    onEvents: deps.display.onEvents,
    // A connection that may not grow by another page is a full disk, as SQLite reports it.
    failpoint: failpointFromEnv(process.env, { diskFull: () => store.stopGrowing() }),
    afterFills: deps.afterFills,
    runtimeOptions: { pollMs: risk.pollMs },
  });
}
