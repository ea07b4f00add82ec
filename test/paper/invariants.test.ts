import { describe, expect, it } from 'vitest';
import type { BrokerTrade } from '../../src/brokers/broker.js';
import { paperInstrument } from '../../src/brokers/paper/index.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { roundToTick } from '../../src/domain/price.js';
import { harness } from './helpers.js';

/** mulberry32: the test's own seeded randomness. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = ['RELIANCE', 'SBIN', 'TATASTEEL', 'MARUTI', 'BRITANNIA'];
const START_CASH = 5_000_000_000;
const START_HOLDING = 2_000;

describe('paper invariants under random order flow', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`never overfills and books every paisa (seed ${seed})`, async () => {
      const random = rng(seed);
      const h = harness({
        seed,
        cash: START_CASH,
        holdings: SYMBOLS.map((symbol) => ({ symbol, quantity: START_HOLDING, averagePrice: paperInstrument(symbol)!.referencePrice })),
        config: { participationCap: 0.05 + random() * 0.3, latencyMs: Math.floor(random() * 40) },
      });
      const placed: string[] = [];
      for (let i = 0; i < 120; i++) {
        const symbol = SYMBOLS[Math.floor(random() * SYMBOLS.length)]!;
        const instrument = paperInstrument(symbol)!;
        const [q] = await h.broker.quotes([{ symbol, exchange: 'NSE' }]);
        const side = random() < 0.5 ? 'buy' : 'sell';
        const kind = random();
        const offset = (random() - 0.5) * 0.004;
        const price = roundToTick((side === 'buy' ? q!.ask : q!.bid) * (1 + offset), instrument.tickSize);
        const request: OrderRequest = {
          clientOrderId: `r${seed}x${i}`,
          symbol,
          exchange: 'NSE',
          side,
          type: kind < 0.35 ? 'market' : kind < 0.8 ? 'limit' : kind < 0.9 ? 'stop' : 'stop_limit',
          quantity: 1 + Math.floor(random() * (random() < 0.2 ? 1_500 : 150)),
          timeInForce: random() < 0.15 ? 'ioc' : 'day',
          product: 'delivery',
        };
        if (request.type === 'limit' || request.type === 'stop_limit') request.limitPrice = price;
        if (request.type === 'stop' || request.type === 'stop_limit') request.triggerPrice = price;
        const result = await h.clock.run(h.broker.placeOrder(request)).catch(() => undefined);
        if (result) placed.push(result.brokerOrderId);
        const action = random();
        const target = placed[Math.floor(random() * placed.length)];
        if (target && action < 0.1) await h.clock.run(h.broker.cancelOrder(target)).catch(() => undefined);
        else if (target && action < 0.2) await h.clock.run(h.broker.modifyOrder(target, { quantity: 1 + Math.floor(random() * 400) })).catch(() => undefined);
        await h.clock.advance(Math.floor(random() * 3_000));
      }
      await h.clock.advance(30 * 60_000);

      const orders = await h.broker.orders();
      const trades = await h.broker.trades();
      const streamed = h.events.flatMap((e) => (e.type === 'trade' ? [e.trade] : []));
      expect(new Set(trades.map((t) => t.tradeId)).size).toBe(trades.length);
      expect(new Set(streamed.map((t) => t.tradeId)).size).toBe(streamed.length);
      const byOrder = new Map<string, BrokerTrade[]>();
      for (const t of trades) byOrder.set(t.brokerOrderId, [...(byOrder.get(t.brokerOrderId) ?? []), t]);
      for (const o of orders) {
        const filled = (byOrder.get(o.brokerOrderId) ?? []).reduce((s, t) => s + t.quantity, 0);
        expect(filled).toBe(o.filledQuantity);
        expect(filled).toBeLessThanOrEqual(o.quantity);
        if (o.status === 'filled') expect(filled).toBe(o.quantity);
        for (const t of byOrder.get(o.brokerOrderId) ?? []) {
          if (o.limitPrice !== undefined) expect(o.side === 'buy' ? t.price <= o.limitPrice : t.price >= o.limitPrice).toBe(true);
          expect(t.price % paperInstrument(o.symbol)!.tickSize).toBe(0);
        }
      }
      expect(trades.length).toBeGreaterThan(20);
      const cashFlow = trades.reduce((s, t) => s + (t.side === 'buy' ? -1 : 1) * t.quantity * t.price, 0);
      expect((await h.broker.funds()).available + (await h.broker.funds()).used).toBe(START_CASH + cashFlow);
      const holdings = await h.broker.holdings();
      for (const symbol of SYMBOLS) {
        const net = trades.filter((t) => t.symbol === symbol).reduce((s, t) => s + (t.side === 'buy' ? t.quantity : -t.quantity), 0);
        const held = holdings.find((x) => x.symbol === symbol);
        expect((held?.quantity ?? 0) + (held?.t1Quantity ?? 0)).toBe(START_HOLDING + net);
      }
      await h.broker.close();
      expect(h.clock.pendingTimers()).toBe(0);
    });
  }
});
