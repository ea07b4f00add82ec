import { describe, expect, it } from 'vitest';
import { ChargeSchedules, ScheduleFileSchema } from '../../src/engine/charges/schedule.js';

const schedules = (raw: unknown) => new ChargeSchedules(ScheduleFileSchema.parse(raw).schedules);
const fee = { id: 'reg', label: 'Regulator', sides: ['sell'], basis: 'value', rate_percent: '0.01', per: 'order' };

describe('a market that includes another schedule', () => {
  it('charges the included components after its own, on the same exchange', () => {
    const s = schedules({
      schedules: {
        regulators: { name: 'R', markets: [{ exchanges: ['NYSE'], currency: 'USD', components: [fee] }] },
        broker: { name: 'B', markets: [{ exchanges: ['NYSE'], currency: 'USD', components: [{ id: 'commission', label: 'C', basis: 'flat', amount: '1' }], include: ['regulators'] }] },
      },
    });
    expect(s.forMarket('broker', 'NYSE')?.components.map((c) => c.id)).toEqual(['commission', 'reg']);
  });

  it('refuses an include with no charges for the exchange, of another currency, or through a cycle', () => {
    const usd = { exchanges: ['NYSE'], currency: 'USD', components: [] };
    expect(() => schedules({ schedules: { a: { name: 'A', markets: [{ ...usd, include: ['missing'] }] } } }).forMarket('a', 'NYSE')).toThrow(/includes "missing", which has no charges for NYSE/);
    expect(() =>
      schedules({ schedules: { inr: { name: 'I', markets: [{ exchanges: ['NYSE'], currency: 'INR', components: [] }] }, a: { name: 'A', markets: [{ ...usd, include: ['inr'] }] } } }).forMarket('a', 'NYSE'),
    ).toThrow(/charged in INR, not USD/);
    expect(() => schedules({ schedules: { a: { name: 'A', markets: [{ ...usd, include: ['b'] }] }, b: { name: 'B', markets: [{ ...usd, include: ['a'] }] } } }).forMarket('a', 'NYSE')).toThrow(/refers to itself/);
  });
});
