import { afterEach, describe, expect, it } from 'vitest';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { GROWW_ORDER_STATUSES } from '../../src/brokers/groww/wire-facts.js';
import { order } from '../zerodha/harness.js';
import { GROWW_EMULATOR_KEYS } from '../emulators/groww/groww-emulator.js';
import { type GrowwHarness, startGrowwHarness } from './harness.js';

let h: GrowwHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const placements = () => h!.emu.server.calls.filter((c) => c.method === 'POST' && c.path === '/v1/order/create');
const errorOf = async (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err);

describe('Groww adapter against the strict emulator', () => {
  it('reads the account: UCC, instruments from the CSV, holdings with T1, positions and funds in exact paise', async () => {
    h = await startGrowwHarness({ cash: 12_345_678, holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_012.5 }] });
    await h.broker.connect();
    expect(h.broker.account).toBe('924189');
    const [infy, missing] = [await h.broker.instruments([{ symbol: 'INFY', exchange: 'NSE' }, { symbol: 'NIFTY' }, { symbol: 'NOPE' }]), undefined];
    expect(missing).toBeUndefined();
    expect(infy).toEqual([{ symbol: 'INFY', exchange: 'NSE', name: 'INFOSYS LIMITED', currency: 'INR', tickSize: 10, lotSize: 1, brokerToken: 'NSE-INFY', isin: 'INE009A01021' }]);
    expect(await h.broker.holdings()).toEqual([{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_012.5 }]);
    expect(await h.broker.funds()).toEqual({ currency: 'INR', available: 12_345_678, used: 0 });
    const [quote] = await h.broker.quotes([{ symbol: 'SBIN', exchange: 'NSE' }]);
    expect(quote).toMatchObject({ symbol: 'SBIN', bid: 80_000, ask: 80_005, last: 80_000 });
    // Every API call carried the token and the version header; the CSV is fetched without them.
    for (const c of h.emu.server.calls) {
      if (c.path.startsWith('/instruments')) expect(c.headers.authorization).toBeUndefined();
      else expect([c.headers.authorization, c.headers['x-api-version']]).toEqual([`Bearer ${GROWW_EMULATOR_KEYS.accessToken}`, '1.0']);
    }
  });

  it('places with our id as order_reference_id (short ids padded), reads it back, fills, and reports the positions', async () => {
    h = await startGrowwHarness({ holdings: [] });
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'R1L1C1', symbol: 'SBIN', limitPrice: 80_005, quantity: 4 }));
    expect(JSON.parse(placements()[0]!.body)).toEqual({
      trading_symbol: 'SBIN',
      quantity: 4,
      price: 800.05,
      validity: 'DAY',
      exchange: 'NSE',
      segment: 'CASH',
      product: 'CNC',
      order_type: 'LIMIT',
      transaction_type: 'BUY',
      order_reference_id: 'R1L1C1-0',
    });
    h.emu.exchange.match();
    h.emu.exchange.match();
    const [o] = await h.broker.orders();
    expect(o).toMatchObject({ brokerOrderId, clientOrderId: 'R1L1C1', status: 'filled', brokerStatus: 'EXECUTED', filledQuantity: 4, averagePrice: 80_005 });
    expect((await h.broker.trades()).map((t) => [t.clientOrderId, t.quantity, t.price])).toEqual([
      ['R1L1C1', 2, 80_005],
      ['R1L1C1', 2, 80_005],
    ]);
    expect(await h.broker.findOrderByClientId('R1L1C1')).toMatchObject({ brokerOrderId, status: 'filled' });
    expect(await h.broker.positions()).toEqual([{ symbol: 'SBIN', exchange: 'NSE', quantity: 4, averagePrice: 80_005, product: 'delivery' }]);
    // SL-M and SL carry the trigger; IOC is refused before anything is sent.
    await h.broker.placeOrder(order({ clientOrderId: 'R1L1C2LONGER', type: 'stop', limitPrice: undefined, triggerPrice: 151_000, quantity: 1 }));
    expect(JSON.parse(placements()[1]!.body)).toMatchObject({ order_type: 'SL_M', price: 0, trigger_price: 1510, order_reference_id: 'R1L1C2LONGER' });
    const ioc = await errorOf(h.broker.placeOrder(order({ clientOrderId: 'R1L1C3', timeInForce: 'ioc' })));
    expect(isBrokerError(ioc, 'input') && ioc.message).toMatch(/valid for the day only/);
    expect(placements()).toHaveLength(2);
  });

  it('a placement whose answer is lost is unknown; sent again it meets GA007 and resolves to the booked order, never a second one', async () => {
    h = await startGrowwHarness({ holdings: [] }, { settings: { timeout_ms: 200 } });
    h.emu.server.faults.bookThenReset();
    const lost = await errorOf(h.broker.placeOrder(order({ clientOrderId: 'R9L1C1' })));
    expect(isBrokerError(lost, 'unknown_outcome')).toBe(true);
    const again = await h.broker.placeOrder(order({ clientOrderId: 'R9L1C1' }));
    expect(h.emu.exchange.orders()).toHaveLength(1);
    expect(again.brokerOrderId).toBe(h.emu.exchange.orders()[0]!.id);
    expect(placements().map((c) => c.status)).toEqual([0, 400]);
    // A placement that never arrived times out as unknown and is not found by its reference.
    h.emu.server.faults.loseNextPlacement();
    const timedOut = await errorOf(h.broker.placeOrder(order({ clientOrderId: 'R9L1C2' })));
    expect(isBrokerError(timedOut, 'unknown_outcome')).toBe(true);
    expect(await h.broker.findOrderByClientId('R9L1C2')).toBeUndefined();
  }, 10_000);

  it('maps every documented Groww status, rejects with Groww\'s reason, cancels and modifies with the order type', async () => {
    h = await startGrowwHarness({ holdings: [] });
    const { brokerOrderId: id } = await h.broker.placeOrder(order({ clientOrderId: 'R2L1C1', limitPrice: 140_000 }));
    const seen: Record<string, string> = {};
    for (const word of GROWW_ORDER_STATUSES) {
      h.emu.exchange.override(id, word);
      seen[word] = (await h.broker.orders())[0]!.status;
    }
    expect(seen).toEqual({
      NEW: 'accepted',
      ACKED: 'accepted',
      TRIGGER_PENDING: 'accepted',
      APPROVED: 'accepted',
      REJECTED: 'rejected',
      FAILED: 'rejected',
      EXECUTED: 'filled',
      DELIVERY_AWAITED: 'filled',
      CANCELLED: 'cancelled',
      CANCELLATION_REQUESTED: 'pending_cancel',
      MODIFICATION_REQUESTED: 'pending_replace',
      COMPLETED: 'filled',
    });
    h.emu.exchange.override(id, 'APPROVED');
    await h.broker.modifyOrder(id, { limitPrice: 140_010 });
    const modify = h.emu.server.calls.find((c) => c.path === '/v1/order/modify')!;
    expect(JSON.parse(modify.body)).toEqual({ groww_order_id: id, segment: 'CASH', order_type: 'LIMIT', price: 1400.1 });
    await h.broker.cancelOrder(id);
    expect((await h.broker.orders())[0]).toMatchObject({ status: 'cancelled', brokerStatus: 'CANCELLED' });
    const again = await errorOf(h.broker.cancelOrder(id));
    expect(isBrokerError(again, 'rejected') && again.details.code).toBe('GA006');

    const { brokerOrderId: sell } = await h.broker.placeOrder(order({ clientOrderId: 'R2L1C2', side: 'sell', quantity: 3 }));
    expect((await h.broker.findOrderByClientId('R2L1C2'))).toMatchObject({ brokerOrderId: sell, status: 'rejected', statusMessage: 'Insufficient holdings: 0 available to sell' });
  });

  it('turns Groww\'s errors into what the user can act on, and retries reads only', async () => {
    h = await startGrowwHarness({ holdings: [] });
    h.emu.server.faults.serverErrors(2);
    expect(await h.broker.holdings()).toEqual([]);
    h.emu.server.faults.serverErrors(1);
    const place5xx = await errorOf(h.broker.placeOrder(order({ clientOrderId: 'R3L1C1' })));
    expect(isBrokerError(place5xx, 'unknown_outcome')).toBe(true);
    expect(h.emu.exchange.orders()).toEqual([]);
    expect(await h.broker.findOrderByClientId('R3L1C1')).toBeUndefined();
    const bad = await errorOf(h.broker.placeOrder(order({ clientOrderId: 'R3L1C2', symbol: 'NOPE' })));
    expect(isBrokerError(bad, 'input') && bad.message).toBe('POST /v1/order/create: GA001 (HTTP 400): unknown instrument NSE:NOPE');
    h.emu.server.faults.malformedBodies(1);
    const html = await errorOf(h.broker.positions());
    expect(isBrokerError(html, 'protocol') && html.message).toBe('GET /v1/positions/user: HTTP 200 (text/html) without Groww\'s {"status": …} envelope');
    expect(isBrokerError(html) && html.details.hint).toMatch(/PTEXEC_GROWW_URL/);
    h.emu.server.faults.rateLimit(3);
    const limited = await errorOf(h.broker.funds());
    expect(isBrokerError(limited, 'rate_limited')).toBe(true);
    h.emu.tokens.clear();
    const expired = await errorOf(h.broker.orders());
    expect(isBrokerError(expired, 'auth') && expired.message).toMatch(/^the Groww session is not valid .* GA005 \(HTTP 401\)/);
    expect(isBrokerError(expired) && expired.details.hint).toMatch(/ptexec brokers login groww/);
    expect(String((expired as Error).message)).not.toContain(GROWW_EMULATOR_KEYS.accessToken);
  }, 15_000);
});
