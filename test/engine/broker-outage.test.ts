import { afterEach, describe, expect, it } from 'vitest';
import type { Broker, BrokerEventListener } from '../../src/brokers/broker.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { connectionOf } from '../../src/store/connection.js';
import { World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const MINUTE = 60_000;
const DOWN_AT = 5 * MINUTE;

/**
 * The paper broker with an outage from `DOWN_AT`: its circuit breaker reports itself open then
 * (an `error` event, as a real adapter's breaker does), and its funds read fails from then on —
 * unless `answers` (a blip: the breaker opened, the broker is back).
 */
function withOutage(w: World, answers = false): Broker {
  const broker = w.broker;
  const listeners: BrokerEventListener[] = [];
  let down = false;
  w.clock.setTimeout(() => {
    down = !answers;
    for (const l of listeners) l({ type: 'error', error: new BrokerError('unavailable', '5 consecutive failures (last: HTTP 503); new orders stopped for 30 s', 'paper', { code: 'circuit_open' }) });
  }, DOWN_AT);
  return new Proxy(broker, {
    get(target, prop) {
      if (prop === 'funds') return () => (down ? Promise.reject(new BrokerError('unavailable', 'GET /funds: HTTP 503', 'paper')) : target.funds());
      if (prop === 'subscribe') {
        return (listener: BrokerEventListener) => {
          listeners.push(listener);
          return target.subscribe(listener);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const TWAP = { defaultExecution: { algo: 'twap', orderType: 'market', params: { duration: '20m', slices: 10, child_type: 'market' } } } as const;

async function runWithOutage(options: { brokerDownAfterMs?: number; answers?: boolean }) {
  world = new World();
  const w = world;
  w.broker = withOutage(w, options.answers) as World['broker'];
  const service = w.service({ runtimeOptions: options.brokerDownAfterMs === undefined ? {} : { brokerDownAfterMs: options.brokerDownAfterMs } });
  const { checked, outcome } = await w.rebalance('symbol,target_quantity\nTCS,100\n', { planOptions: TWAP }, service);
  const sentAfter = (ms: number) => connectionOf(w.store).prepare('SELECT count(*) FROM orders WHERE run_id = ? AND parent_id IS NOT NULL AND market_created_at > ?').pluck().get(checked.runId, ms) as number;
  return { checked, outcome, sentAfter };
}

describe('a broker that stays down (its circuit breaker open)', () => {
  it('stops the run, resumably, once it still does not answer brokerDownAfterMs later (a group run with failover)', async () => {
    const { checked, outcome, sentAfter } = await runWithOutage({ brokerDownAfterMs: MINUTE });
    expect(outcome.status).toBe('interrupted');
    expect(outcome.reason).toBe(`paper is down: still no answer 60 s after its circuit breaker opened (GET /funds: HTTP 503); run ptexec resume ${checked.runId} when the broker is back`);
    const started = world!.store.events({ runId: checked.runId, types: ['run.created'] })[0]!.marketTs!;
    // Slices went out until the broker had been down a minute, none after.
    expect(sentAfter(started)).toBeGreaterThan(0);
    expect(sentAfter(started + DOWN_AT + MINUTE + 1_000)).toBe(0);
  });

  it('is waited out when the broker answers again by then: the run goes on to its end', async () => {
    const { outcome } = await runWithOutage({ brokerDownAfterMs: MINUTE, answers: true });
    expect(outcome.status).toBe('completed');
  });

  it('is waited out by a run of its own (no brokerDownAfterMs): it keeps retrying, as before', async () => {
    const { outcome } = await runWithOutage({});
    expect(outcome.status).toBe('completed');
  });
});
