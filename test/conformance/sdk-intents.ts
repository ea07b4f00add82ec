import type { Broker } from '../../src/brokers/broker.js';
import type { SdkIntent } from './subject.js';

/**
 * Performs an SDK intent through a broker adapter (the adapter's side of an `SdkOracle`), then
 * closes the adapter. Orders are delivery, for the day, on the intent's exchange (NSE when it names
 * none), as the intents' SDK calls are.
 */
export async function performWithBroker(broker: Broker, intent: SdkIntent): Promise<void> {
  try {
    switch (intent.kind) {
      case 'place':
        await broker.placeOrder({
          clientOrderId: intent.clientOrderId,
          symbol: intent.symbol,
          exchange: intent.exchange ?? 'NSE',
          side: intent.side,
          type: intent.type,
          quantity: intent.quantity,
          limitPrice: intent.limitPrice,
          triggerPrice: intent.triggerPrice,
          timeInForce: 'day',
          product: 'delivery',
        });
        return;
      case 'modify':
        return await broker.modifyOrder(intent.brokerOrderId, { quantity: intent.quantity, limitPrice: intent.limitPrice });
      case 'cancel':
        return await broker.cancelOrder(intent.brokerOrderId);
      case 'orders':
        return void (await broker.orders());
      case 'holdings':
        return void (await broker.holdings());
      case 'positions':
        return void (await broker.positions());
      case 'funds':
        return void (await broker.funds());
    }
  } finally {
    await broker.close();
  }
}
