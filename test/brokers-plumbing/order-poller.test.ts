import { describe, expect, it } from 'vitest';
import { OrderPoller } from '../../src/brokers/http/order-poller.js';
import type { BrokerEvent, BrokerOrder, BrokerTrade } from '../../src/brokers/broker.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { VirtualClock } from '../../src/engine/clock/index.js';

const o = (filled: number, status: BrokerOrder['status'], brokerStatus: string): BrokerOrder => ({
  brokerOrderId: 'G1',
  clientOrderId: 'R1L1C1',
  symbol: 'SBIN',
  exchange: 'NSE',
  side: 'buy',
  type: 'limit',
  quantity: 4,
  filledQuantity: filled,
  averagePrice: filled ? 80_005 : 0,
  status,
  brokerStatus,
  updatedAt: 0,
});
const t = (n: number): BrokerTrade => ({ tradeId: `T${n}`, brokerOrderId: 'G1', clientOrderId: 'R1L1C1', symbol: 'SBIN', exchange: 'NSE', side: 'buy', quantity: 2, price: 80_005, ts: 0 });

describe('Groww order polling', () => {
  it('reports each fill once and each state once, ignores stale answers, and resyncs after a failed pass', async () => {
    const answers: (BrokerOrder[] | Error)[] = [
      [o(0, 'accepted', 'APPROVED')],
      [o(0, 'accepted', 'APPROVED')], // nothing new
      [o(2, 'partially_filled', 'APPROVED')],
      [o(2, 'partially_filled', 'APPROVED')], // the same again: no second trade
      [o(0, 'accepted', 'APPROVED')], // a stale answer (a lagging replica): ignored
      new BrokerError('unavailable', 'GET /v1/order/list: GA000 (HTTP 500)', 'groww'),
      new BrokerError('unavailable', 'GET /v1/order/list: GA000 (HTTP 500)', 'groww'),
      [o(4, 'filled', 'EXECUTED')],
      [o(2, 'partially_filled', 'APPROVED')], // stale after the end: ignored
    ];
    let tradeReads = 0;
    const poller = new OrderPoller(
      {
        orders: async () => {
          const next = answers.shift()!;
          if (next instanceof Error) throw next;
          return next;
        },
        tradesOf: async () => {
          tradeReads++;
          // Trades come back whole each time, in any order.
          return tradeReads === 1 ? [t(1)] : [t(2), t(1)];
        },
      },
      new VirtualClock(0),
      1_000,
      (e) => events.push(e),
    );
    const events: BrokerEvent[] = [];
    for (let i = 0; i < 9; i++) await poller.pass();
    const summary = events.map((e) =>
      e.type === 'order' ? `order ${e.order.status} ${e.order.filledQuantity}` : e.type === 'trade' ? `trade ${e.trade.tradeId}` : e.type === 'error' ? 'error' : e.type,
    );
    expect(summary).toEqual(['order accepted 0', 'trade T1', 'order partially_filled 2', 'disconnected', 'error', 'resync', 'trade T2', 'order filled 4']);
    expect(tradeReads).toBe(2);
  });

  it('stops polling when the session is refused (a login is needed, not more calls)', async () => {
    const clock = new VirtualClock(0);
    let calls = 0;
    const events: BrokerEvent[] = [];
    const poller = new OrderPoller(
      {
        orders: async () => {
          calls++;
          throw new BrokerError('auth', 'the Groww session is not valid', 'groww');
        },
        tradesOf: async () => [],
      },
      clock,
      1_000,
      (e) => events.push(e),
    );
    poller.start();
    for (let i = 0; i < 5; i++) await clock.advance(1_000);
    await poller.idle();
    expect(calls).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['disconnected', 'error']);
  });
});
