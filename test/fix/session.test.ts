import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { FixMessage, FixParser, encodeFix } from '../../src/brokers/fix/codec.js';
import type { FixBroker } from '../../src/brokers/fix/fix-broker.js';
import type { BrokerEvent } from '../../src/brokers/broker.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { type FixEmulator, startFixEmulator } from '../emulators/fix/index.js';
import { until } from '../conformance/kit.js';
import { emulatorBroker } from './harness.js';

let emu: FixEmulator | undefined;
const brokers: FixBroker[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.close();
  await emu?.close();
  emu = undefined;
});

async function venue(options: Parameters<typeof emulatorBroker>[1] = {}) {
  emu ??= await startFixEmulator({ partialFills: false });
  const broker = emulatorBroker(emu, { rateLimit: false, ...options, settings: { timeout_ms: 1_000, ...options.settings } });
  brokers.push(broker);
  await broker.connect();
  return { emu, broker };
}

const buy = (clientOrderId: string, quantity = 4): OrderRequest => ({ clientOrderId, symbol: 'INFY', exchange: 'NSE', side: 'buy', type: 'limit', quantity, limitPrice: 140_000, timeInForce: 'day', product: 'delivery' });

describe('FIX codec', () => {
  it('frames BodyLength and CheckSum, and refuses a message whose CheckSum or BodyLength is wrong', () => {
    const wire = encodeFix('FIX.4.4', [[35, '0'], [49, 'A'], [56, 'B'], [34, '1'], [52, '20261203-10:00:00.000']]);
    expect(wire).toMatch(/^8=FIX\.4\.4\x019=\d+\x01.*\x0110=\d{3}\x01$/);
    const [m] = new FixParser('FIX.4.4').push(wire);
    expect(m).toBeInstanceOf(FixMessage);
    expect(m!.type).toBe('0');
    expect(() => new FixParser('FIX.4.4').push(wire.replace(/10=\d{3}/, '10=000'))).toThrow(/CheckSum/);
    expect(() => new FixParser('FIX.4.4').push(wire.replace(/9=(\d+)/, (_, n: string) => `9=${Number(n) - 1}`))).toThrow(/BodyLength/);
    // Split across reads, a message is assembled.
    const parser = new FixParser('FIX.4.4');
    expect(parser.push(wire.slice(0, 20))).toEqual([]);
    expect(parser.push(wire.slice(20)).map((x) => x.type)).toEqual(['0']);
  });
});

describe('FIX session', () => {
  it('keeps sequence numbers across a restart: a new process continues where the last stopped, and the counterparty sees no gap', async () => {
    const tables = openDatabase(':memory:').brokerTables('fix');
    const first = await venue({ tables });
    await first.broker.placeOrder(buy('SEQ1'));
    const before = first.broker.fixSession.sequences();
    await first.broker.close();
    brokers.length = 0;
    const second = await venue({ tables });
    expect(second.broker.fixSession.sequences().nextOut).toBeGreaterThan(before.nextOut);
    // The new process knows the order it placed before, and the acceptor took every message in sequence.
    expect((await second.broker.findOrderByClientId('SEQ1'))?.status).toBe('accepted');
    expect(second.emu.sequences().nextIn).toBe(second.broker.fixSession.sequences().nextOut);
  });

  it('asks for a gap again (ResendRequest) and counts the resent fills once', async () => {
    const { emu, broker } = await venue();
    const events: BrokerEvent[] = [];
    broker.subscribe((e) => events.push(e));
    const { brokerOrderId } = await broker.placeOrder(buy('GAP1'));
    emu.faults.gap(2);
    emu.exchange.fill(brokerOrderId, 1);
    emu.exchange.fill(brokerOrderId, 3);
    // The next message shows the gap; the resend brings both fills, PossDup, once each.
    await broker.resync('test');
    const trades = events.flatMap((e) => (e.type === 'trade' ? [e.trade] : []));
    expect(trades.map((t) => t.quantity).sort()).toEqual([1, 3]);
    expect(emu.calls.some((c) => c.path === '/fix/2'), 'our ResendRequest').toBe(true);
    expect((await broker.trades(brokerOrderId)).length).toBe(2);
  });

  it("answers the counterparty's ResendRequest: order messages again with PossDupFlag, admin ones as SequenceReset-GapFill", async () => {
    const { emu, broker } = await venue();
    await broker.placeOrder(buy('RS1'));
    emu.faults.requestResend(1);
    await until(() => emu.calls.some((c) => c.path === '/fix/D' && /\|43=Y\|/.test(c.body)) && emu.calls.some((c) => c.path === '/fix/4'), 'the resend');
    const order = emu.calls.find((c) => c.path === '/fix/D' && /\|43=Y\|/.test(c.body))!;
    expect(order.body).toMatch(/\|11=RS1\|/);
    expect(order.body).toMatch(/\|122=/);
    expect(emu.calls.find((c) => c.path === '/fix/4')!.body).toMatch(/\|123=Y\|/);
    // The PossDup order was not booked a second time.
    expect(emu.exchange.orders().filter((o) => o.clientRef === 'RS1')).toHaveLength(1);
  });

  it('sends a TestRequest to a silent counterparty and disconnects when it stays silent, then reconnects', async () => {
    const { emu, broker } = await venue({ heartbeatMs: 100 });
    const events: BrokerEvent[] = [];
    broker.subscribe((e) => events.push(e));
    emu.faults.silent(true);
    await until(() => events.some((e) => e.type === 'disconnected' && /TestRequest/.test(e.reason)), 'the heartbeat timeout');
    expect(emu.calls.some((c) => c.path === '/fix/1')).toBe(true);
    emu.faults.silent(false);
    await until(() => broker.fixSession.isActive, 'the reconnect');
  });

  it('keeps the reason of a session Reject (3) and a BusinessMessageReject (j)', async () => {
    const { emu, broker } = await venue();
    emu.faults.rejectNext('3');
    const session = await broker.placeOrder(buy('REJ3')).catch((e: unknown) => e);
    expect(session).toBeInstanceOf(BrokerError);
    expect((session as BrokerError).kind).toBe('rejected');
    expect((session as BrokerError).message).toMatch(/value is incorrect.*tag 44.*Price out of range/);
    emu.faults.rejectNext('j');
    const business = (await broker.placeOrder(buy('REJJ')).catch((e: unknown) => e)) as BrokerError;
    expect(business.message).toMatch(/application not available.*order entry halted/);
  });

  it('is refused with an auth error naming the password variable when the password is wrong', async () => {
    emu = await startFixEmulator();
    const broker = emulatorBroker(emu, { password: 'wrong' });
    const err = (await broker.connect().catch((e: unknown) => e)) as BrokerError;
    await broker.close();
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/Invalid username or password/);
    expect(err.message).not.toContain('wrong');
    expect(err.details.hint).toContain('PTEXEC_FIX_KIT_PASSWORD');
  });
});

describe('FIX order book', () => {
  it('falls back to its own reports when the counterparty does not answer OrderMassStatusRequest', async () => {
    const { emu, broker } = await venue();
    emu.faults.refuseMassStatus(true);
    await broker.placeOrder(buy('MS1'));
    expect((await broker.orders()).map((o) => [o.clientOrderId, o.status])).toEqual([['MS1', 'accepted']]);
    expect((await broker.orders()).length).toBe(1);
    expect(emu.calls.filter((c) => c.path === '/fix/AF')).toHaveLength(1);
  });
});

describe('FIX queries', () => {
  it('asks a query again when its answer is late, and never an order message', async () => {
    const { emu, broker } = await venue({ settings: { timeout_ms: 150 } });
    emu.faults.silent(true);
    const quote = broker.quotes([{ symbol: 'INFY', exchange: 'NSE' }]).catch((e: unknown) => e);
    await until(() => emu.calls.filter((c) => c.path === '/fix/V').length >= 2, 'the query asked again');
    emu.faults.silent(false);
    const answered = await quote;
    expect(answered, String(answered)).toEqual([expect.objectContaining({ symbol: 'INFY', bid: 150_000, ask: 150_010 })]);
    emu.faults.hang(1);
    const err = (await broker.placeOrder(buy('HANG1')).catch((e: unknown) => e)) as BrokerError;
    expect(err.kind).toBe('unknown_outcome');
    expect(emu.calls.filter((c) => c.path === '/fix/D')).toHaveLength(1);
  });
});
