import type { StoredEvent } from '../../domain/events/index.js';
import type { RebalanceService } from '../../engine/rebalance/rebalance-service.js';
import type { Factory, RunWiring } from '../factory.js';
import { userVolumeProfiles } from '../loaders/volume-profile-file.js';

/**
 * The rebalance service for a run executing in this process: the risk limits and gate, the
 * kill switch, post-trade bookings, Ctrl-C and the display, the account lock (a takeover is
 * announced; a lock lost to `ptexec unlock` or a takeover stops the run), how long to wait for
 * another process writing to the database, and the crash-test failpoint.
 */
export async function buildRunService(f: Factory, run: RunWiring, observe: (events: StoredEvent[]) => void): Promise<RebalanceService> {
  const [broker, driven, risk, postTrade, { RebalanceService }, { describeHolder }, { busyPolicy }, { storePorts, failpointFromEnv }, { notifyBreakerTrips }] = await Promise.all([
    f.broker(run.brokerId, run),
    f.clock(run.brokerId, run.speed),
    f.risk(run.riskFile),
    f.postTrade(run.brokerId),
    import('../../engine/rebalance/rebalance-service.js'),
    import('../../store/account-lock.js'),
    import('../busy-policy.js'),
    import('./store-ports.js'),
    import('../run-notifications.js'),
  ]);
  const { VIRTUAL_POLL_MS } = await import('../../engine/clock/index.js');
  const volumeProfiles = await userVolumeProfiles(f);
  const store = f.store();
  const ports = storePorts(store, {
    onTakeover: (key, from, why) => f.io.warn(`took over the lock on ${key} from ${describeHolder(from)}: ${why}`),
    onLost: (key, now) => run.interrupt.abort(`the lock on ${key} was ${now ? `taken over by ${describeHolder(now)}` : 'removed (ptexec unlock)'}; stopped sending`),
  });
  return new RebalanceService({
    log: store,
    runs: ports.runs,
    locks: ports.locks,
    busy: busyPolicy(ports.leaseEndsAt),
    broker,
    clock: driven.clock,
    wallClock: f.wallNow,
    risk: { config: risk.config, history: risk.history },
    guard: risk.gate(broker, (await broker.funds()).currency, run.overrideHalt),
    halt: run.overrideHalt ? undefined : risk.killSwitch,
    signal: run.interrupt.signal,
    onEvents: (events) => {
      run.display.onEvents(events);
      notifyBreakerTrips(f, broker, events);
      observe(events);
    },
    failpoint: failpointFromEnv(f.env, store),
    afterFills: postTrade.afterFills,
    runtimeOptions: { pollMs: driven.jumps ? Math.max(VIRTUAL_POLL_MS, risk.config.kill_switch.poll_ms) : risk.config.kill_switch.poll_ms, breakers: risk.config.breakers, volumeProfiles, brokerDownAfterMs: run.brokerDownAfterMs },
  });
}
