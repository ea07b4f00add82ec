import type { Broker } from '../brokers/broker.js';
import type { ChargeSchedules } from '../engine/charges/schedule.js';
import type { RebalanceOutcome } from '../engine/rebalance/rebalance-service.js';
import { runTca } from '../engine/tca/run-report.js';
import { describeError } from '../lib/errors.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import type { StoredEvent } from '../domain/events/index.js';
import type { Factory } from './factory.js';
import * as messages from './notify/messages.js';
import type { Notification } from './notify/notification.js';

/**
 * Queues notifications for the channels of the config (README "Notifications"). Delivery happens
 * in the background; nothing here waits for a receiver, and a notification that cannot even be
 * queued (an invalid `notify` section) is a warning, never a change to what the command did.
 */
type Built = Notification | undefined | (Notification | undefined)[];

export async function notify(f: Factory, build: () => Built | Promise<Built>, runId: string | null = null): Promise<void> {
  try {
    const notifier = await f.notifier();
    if (!notifier.channels.length) return;
    const built = await build();
    for (const message of Array.isArray(built) ? built : [built]) if (message) notifier.notify(message, runId);
  } catch (err) {
    f.io.warn(`notifications not sent: ${describeError(err).message}`);
  }
}

/** A run that was worked to its end (or stopped): how it ended, its rejections, a tripped circuit breaker. */
export function notifyRunOutcome(f: Factory, runId: string, broker: Pick<Broker, 'id' | 'account'>, outcome: RebalanceOutcome): Promise<void> {
  const run = { runId, broker: broker.id, account: broker.account };
  return notify(
    f,
    async () => {
      const store = f.store();
      const costs = runCosts(f, runId, await f.chargeSchedules());
      const tripped = store
        .events({ runId, types: ['run.alert'] })
        .filter((e) => e.payload.source === 'broker' && e.payload.message.includes('circuit open'))
        .map((e) => e.payload.message);
      return [messages.runFinished(run, outcome, costs), messages.ordersRejected(run, outcome), tripped.length ? messages.breakerTripped(run, tripped) : undefined];
    },
    runId,
  );
}

/**
 * The automatic breakers that tripped among a run's new events, notified at once: a tripped run
 * waits paused for `ptexec resume`, so waiting for the command to end would tell nobody.
 */
export function notifyBreakerTrips(f: Factory, broker: Pick<Broker, 'id' | 'account'>, events: readonly StoredEvent[]): void {
  for (const e of events) {
    if (e.type !== 'run.breaker_tripped' || !e.runId) continue;
    const run = { runId: e.runId, broker: broker.id, account: broker.account };
    void notify(f, () => messages.runBreakerTripped(run, e.payload), e.runId);
  }
}

/** What the run traded and what that cost, from its TCA (zero when nothing filled). */
function runCosts(f: Factory, runId: string, schedules: ChargeSchedules): messages.RunCosts {
  const totals = runTca(new PostTradeQueries(f.store()), schedules, runId).totals[0];
  if (!totals) return { currency: null, tradedValue: 0, shortfallBps: null, shortfall: 0, charges: 0 };
  return { currency: totals.currency, tradedValue: totals.filledValue, shortfallBps: totals.shortfallBps.total, shortfall: totals.shortfall.total, charges: totals.shortfall.charges };
}
