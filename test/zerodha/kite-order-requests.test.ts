import { describe, expect, it } from 'vitest';
import { kiteModifyForm } from '../../src/brokers/zerodha/kite-order-requests.js';

describe('the form of a Kite order modification', () => {
  it('sends only what changes, prices in rupees', () => {
    expect(kiteModifyForm({ limitPrice: 156_050 }, -1)).toEqual({ quantity: undefined, price: '1560.50', trigger_price: undefined, order_type: undefined });
    expect(kiteModifyForm({ quantity: 5, triggerPrice: 150_000, type: 'stop_limit' }, -1)).toMatchObject({ quantity: 5, trigger_price: '1500.00', order_type: 'SL' });
  });

  it('asks for market protection again when the order becomes a market or stop order', () => {
    expect(kiteModifyForm({ type: 'market' }, 3)).toMatchObject({ order_type: 'MARKET', market_protection: 3 });
    expect(kiteModifyForm({ type: 'stop' }, -1)).toMatchObject({ order_type: 'SL-M', market_protection: -1 });
    expect(kiteModifyForm({ type: 'limit' }, 3)).not.toHaveProperty('market_protection');
  });
});
