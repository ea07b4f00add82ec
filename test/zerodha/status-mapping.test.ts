import { describe, expect, it } from 'vitest';
import { mapKiteStatus, parseKiteTime, formatKiteTime, istDate, kitePlacement } from '../../src/brokers/zerodha/kite-mapping.js';
import { canTransition } from '../../src/domain/order-state-machine.js';
import type { OrderStatus } from '../../src/domain/order.js';
import { order } from './harness.js';

describe('Kite statuses on our state machine', () => {
  it('maps every documented status', () => {
    const cases: [string, number, number, OrderStatus][] = [
      ['PUT ORDER REQ RECEIVED', 0, 10, 'accepted'],
      ['VALIDATION PENDING', 0, 10, 'accepted'],
      ['OPEN PENDING', 0, 10, 'accepted'],
      ['AMO REQ RECEIVED', 0, 10, 'accepted'],
      ['OPEN', 0, 10, 'accepted'],
      ['TRIGGER PENDING', 0, 10, 'accepted'],
      ['OPEN', 4, 10, 'partially_filled'],
      ['UPDATE', 4, 10, 'partially_filled'],
      ['UPDATE', 0, 10, 'accepted'],
      ['MODIFY VALIDATION PENDING', 0, 10, 'pending_replace'],
      ['MODIFY PENDING', 4, 10, 'pending_replace'],
      ['MODIFIED', 0, 10, 'accepted'],
      ['NOT MODIFIED', 4, 10, 'partially_filled'],
      ['CANCEL PENDING', 4, 10, 'pending_cancel'],
      ['COMPLETE', 10, 10, 'filled'],
      ['CANCELLED', 4, 10, 'cancelled'],
      ['REJECTED', 0, 10, 'rejected'],
      ['LAPSED', 0, 10, 'expired'],
    ];
    for (const [kite, filled, qty, ours] of cases) expect([kite, mapKiteStatus(kite, filled, qty)]).toEqual([kite, ours]);
    expect(() => mapKiteStatus('SOMETHING NEW', 0, 1)).toThrow(/unknown Kite order status/);
  });

  it('walks each Kite lifecycle through legal transitions only', () => {
    const lifecycles: [string, number][][] = [
      [['PUT ORDER REQ RECEIVED', 0], ['VALIDATION PENDING', 0], ['OPEN PENDING', 0], ['OPEN', 0], ['UPDATE', 5], ['COMPLETE', 10]],
      [['PUT ORDER REQ RECEIVED', 0], ['VALIDATION PENDING', 0], ['REJECTED', 0]],
      [['OPEN', 0], ['MODIFY VALIDATION PENDING', 0], ['MODIFY PENDING', 0], ['MODIFIED', 0], ['OPEN', 0], ['UPDATE', 3], ['CANCEL PENDING', 3], ['CANCELLED', 3]],
      [['OPEN', 2], ['MODIFY PENDING', 2], ['MODIFIED', 2], ['UPDATE', 6], ['COMPLETE', 10]],
      [['AMO REQ RECEIVED', 0], ['CANCELLED', 0]],
      [['TRIGGER PENDING', 0], ['OPEN', 0], ['COMPLETE', 10]],
    ];
    for (const steps of lifecycles) {
      let current: OrderStatus = 'pending_submit';
      for (const [kite, filled] of steps) {
        const next = mapKiteStatus(kite, filled, 10);
        if (next !== current) expect(canTransition(current, next), `${current} → ${next} (${kite})`).toBe(true);
        current = next;
      }
    }
  });
});

describe('Kite times', () => {
  it('reads and writes IST "YYYY-MM-DD HH:MM:SS"', () => {
    expect(parseKiteTime('2026-01-05 09:15:00')).toBe(Date.UTC(2026, 0, 5, 3, 45, 0));
    expect(formatKiteTime(Date.UTC(2026, 0, 5, 3, 45, 0))).toBe('2026-01-05 09:15:00');
    expect(parseKiteTime(null)).toBeUndefined();
    expect(parseKiteTime('yesterday')).toBeUndefined();
    expect(istDate(Date.UTC(2026, 0, 5, 20, 0, 0))).toBe('2026-01-06');
  });
});

describe('placement mapping', () => {
  it('maps our product to Kite products as configured', () => {
    const settings = { marketProtection: -1, deliveryProduct: 'NRML', intradayProduct: 'MIS' };
    expect(kitePlacement(order({ product: 'delivery' }), settings).form.product).toBe('NRML');
    expect(kitePlacement(order({ product: 'intraday' }), settings).form.product).toBe('MIS');
    expect(kitePlacement(order({ quantity: 10, displayQuantity: 3 }), settings)).toMatchObject({ variety: 'iceberg', form: { iceberg_legs: 4, iceberg_quantity: 3 } });
    expect(kitePlacement(order({ quantity: 10, displayQuantity: 10 }), settings).variety).toBe('regular');
  });
});
