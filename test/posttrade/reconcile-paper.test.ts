import { afterEach, describe, expect, it } from 'vitest';
import { createPaperBroker, resetPaperAccount } from '../../src/brokers/paper/index.js';
import type { PaperBroker } from '../../src/brokers/paper/paper-broker.js';
import type { FillRecorded } from '../../src/domain/events/index.js';
import { addBusinessDays, tradingDate } from '../../src/market/calendar/index.js';
import { loadChargeSchedules } from '../../src/app/loaders/charge-schedules.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { reconcileAccount } from '../../src/engine/ledger/reconcile-account.js';
import { accountSnapshotEvent } from '../../src/engine/ledger/snapshot.js';
import { PostTradeQueries } from '../../src/store/posttrade-queries.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { connectionOf } from '../../src/store/connection.js';

const schedules = loadChargeSchedules();
// Tuesday 7 January 2025, 11:00 IST.
const START = Date.parse('2025-01-07T11:00:00+05:30');
const opened: Store[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));

async function setup() {
  const store = openDatabase(':memory:');
  opened.push(store);
  resetPaperAccount(store.brokerTables('paper'), { cash: 1_000_000_00, holdings: [{ symbol: 'INFY', quantity: 100, averagePrice: 1_500_00 }, { symbol: 'TCS', quantity: 50, averagePrice: 3_100_00 }], now: START, reseedMarket: 11 });
  const clock = new VirtualClock(START);
  const broker = createPaperBroker({ tables: store.brokerTables('paper'), clock, isOpen: () => true, settlementDate: (exchange, date) => addBusinessDays(exchange, date, 1) });
  await clock.run(broker.connect());
  return { store, clock, broker };
}

async function state(clock: VirtualClock, broker: PaperBroker) {
  return { holdings: await clock.run(broker.holdings()), positions: await clock.run(broker.positions()), funds: await clock.run(broker.funds()) };
}

/** Buys through the paper broker; `record` decides whether ptexec's store learns of the fills. */
async function buy(store: Store, clock: VirtualClock, broker: PaperBroker, symbol: string, quantity: number, clientOrderId: string, record: boolean) {
  const { brokerOrderId } = await clock.run(broker.placeOrder({ clientOrderId, symbol, exchange: 'NSE', side: 'buy', type: 'market', quantity, timeInForce: 'day', product: 'delivery' }));
  await clock.run(clock.sleep(60_000));
  const trades = await clock.run(broker.trades(brokerOrderId));
  expect(trades.reduce((a, t) => a + t.quantity, 0)).toBe(quantity);
  if (!record) return;
  store.append(
    trades.map((t) => ({
      runId: 'run-1',
      type: 'fill.recorded',
      ts: t.ts,
      payload: { clientOrderId, tradeId: t.tradeId, brokerOrderId, broker: 'paper', account: broker.account, symbol, exchange: 'NSE', side: 'buy', quantity: t.quantity, price: t.price, ts: t.ts } satisfies FillRecorded['payload'],
    })),
  );
}

const options = { holdingsIncludeToday: true, brokerDebitsCharges: false };

describe('reconciling a paper account', () => {
  it('matches when the broker did exactly what ptexec recorded', async () => {
    const { store, clock, broker } = await setup();
    store.append(accountSnapshotEvent({ broker: 'paper', account: broker.account, reason: 'run-start', ...(await state(clock, broker)) }));
    await buy(store, clock, broker, 'INFY', 20, 'c1', true);
    const today = (exchange: 'NSE' | 'BSE' | 'NYSE' | 'NASDAQ') => tradingDate(exchange, clock.now());
    const result = reconcileAccount(new PostTradeQueries(store), schedules, { id: 'paper', account: broker.account }, await state(clock, broker), today, options);
    expect(result.differences).toEqual([]);
    expect(result.positions.find((p) => p.symbol === 'INFY')).toMatchObject({ ours: 120, broker: 120, brokerT1: 20 });
  });

  it('finds each injected difference and names its likely cause', async () => {
    const { store, clock, broker } = await setup();
    store.append(accountSnapshotEvent({ broker: 'paper', account: broker.account, reason: 'run-start', ...(await state(clock, broker)) }));
    await buy(store, clock, broker, 'INFY', 20, 'c1', true);
    const cashAfterOurTrade = (await state(clock, broker)).funds.available;

    // 1. A trade outside ptexec.
    await buy(store, clock, broker, 'HDFCBANK', 10, 'outside1', false);
    const outsideCost = cashAfterOurTrade - (await state(clock, broker)).funds.available;
    // 2. A 1:1 bonus issue on TCS.
    connectionOf(store).prepare("UPDATE paper_holdings SET quantity = quantity * 2 WHERE symbol = 'TCS'").run();
    // 3. A withdrawal of ₹5,000.
    connectionOf(store).prepare('UPDATE paper_accounts SET cash = cash - 500000').run();
    // 4. The INFY purchase does not settle: two days later it is still T1 at the broker.
    connectionOf(store).prepare("UPDATE paper_unsettled SET settle_date = '2099-01-01' WHERE symbol = 'INFY'").run();
    await clock.advance(2 * 86_400_000);

    const today = (exchange: 'NSE' | 'BSE' | 'NYSE' | 'NASDAQ') => tradingDate(exchange, clock.now());
    const result = reconcileAccount(new PostTradeQueries(store), schedules, { id: 'paper', account: broker.account }, await state(clock, broker), today, options);
    const found = result.differences.map((d) => [d.kind, d.symbol, d.difference, d.cause]);
    expect(found).toEqual([
      ['quantity', 'HDFCBANK', 10, 'outside_trades'],
      ['unsettled_quantity', 'INFY', 20, 'unsettled_t1'],
      ['quantity', 'TCS', 50, 'corporate_action'],
      ['cash', null, -(outsideCost + 500_000), 'outside_cash_movement'],
    ]);
  });
});
