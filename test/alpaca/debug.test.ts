import { it } from 'vitest';
import { startAlpacaHarness } from './harness.js';

it('debug cut', async () => {
  const h = await startAlpacaHarness({ matchIntervalMs: 0, requestsPerMinute: 1e6 });
  await h.broker.connect();
  const events: { type: string }[] = [];
  h.broker.subscribe((e) => events.push(e));
  const r = await h.broker.placeOrder({ clientOrderId: 'dbg1', symbol: 'AAPL', exchange: 'NASDAQ', side: 'buy', type: 'limit', quantity: 4, limitPrice: 20_000, timeInForce: 'day', product: 'delivery' });
  await new Promise((res) => setTimeout(res, 300));
  h.emu.server.stream.drop();
  h.emu.exchange.fill(r.brokerOrderId, 4);
  await new Promise((res) => setTimeout(res, 1000));
  console.log(JSON.stringify(events.map((e) => [e.type, (e as any).order?.status ?? (e as any).trade?.quantity ?? (e as any).reason ?? (e as any).error?.message])));
  await h.close();
});
