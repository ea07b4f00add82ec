import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseIbkrSettings } from '../../src/brokers/ibkr/config.js';
import { ibkrLogin } from '../../src/brokers/ibkr/login.js';
import { replyDecision } from '../../src/brokers/ibkr/order-replies.js';
import { type BrokerError, isBrokerError } from '../../src/domain/errors/broker-error.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { MARKET_ORDER_NOTICE } from '../emulators/ibkr/index.js';
import { type IbkrHarness, startIbkrHarness } from './harness.js';

let h: IbkrHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const buy = (overrides: Partial<OrderRequest> = {}): OrderRequest => ({ clientOrderId: 'R1L1C1', symbol: 'AAPL', exchange: 'NASDAQ', side: 'buy', type: 'limit', quantity: 10, limitPrice: 26_000, timeInForce: 'day', product: 'delivery', ...overrides });
const placements = (hh: IbkrHarness) => hh.emu.server.calls.filter((c) => c.method === 'POST' && /\/orders$/.test(c.path));
const talk = () => ({ lines: [] as string[], asked: 0, info(line: string) { this.lines.push(line); }, async ask() { this.asked++; return ''; } });
const PERCENT_CONSTRAINT = { messageIds: ['o163'], message: 'The following order "BUY 10 AAPL NASDAQ.NMS @ 260.0" price exceeds \nthe Percentage constraint of 3%.\nAre you sure you want to submit this order?' };

describe('IBKR order reply messages', () => {
  it('confirms the notices on its confirm list, declines the user\'s precautions and unknown ids with IBKR\'s words, and follows the configured lists', async () => {
    h = await startIbkrHarness({ questions: (t) => (t.orderType === 'MKT' ? [MARKET_ORDER_NOTICE] : t.cOID === 'UNKNOWN1' ? [{ messageIds: ['o9999'], message: 'Something new.' }] : t.orderType === 'LMT' ? [PERCENT_CONSTRAINT] : []) });
    const { broker, emu } = h;
    await broker.connect();

    // A market order draws IBKR's market-order notice (o10151): confirmed, then acknowledged.
    const { brokerOrderId } = await broker.placeOrder(buy({ clientOrderId: 'MKT1', type: 'market', limitPrice: undefined }));
    expect(emu.exchange.order(brokerOrderId)).toMatchObject({ clientRef: 'MKT1', type: 'MARKET' });
    expect(emu.replies().map((r) => r.confirmed)).toEqual([true]);

    // The user's own price-percentage precaution (o163) is declined: the order is discarded, the message shown.
    const refused = (await broker.placeOrder(buy({ clientOrderId: 'LMT1' })).catch((e: unknown) => e)) as BrokerError;
    expect(isBrokerError(refused, 'rejected')).toBe(true);
    expect(refused.message).toContain('price exceeds the Percentage constraint of 3%');
    expect(refused.message).toMatch(/\[o163\].*declined \(o163 is on the refuse list\)/);
    expect(refused.hint).toMatch(/brokers\.ibkr\.order_replies\.confirm/);
    // A message id nobody listed is declined too.
    const unknown = (await broker.placeOrder(buy({ clientOrderId: 'UNKNOWN1', type: 'stop', limitPrice: undefined, triggerPrice: 28_000 })).catch((e: unknown) => e)) as BrokerError;
    expect(unknown.message).toMatch(/Something new\." \[o9999\].*o9999 is not on the confirm list/);
    expect(emu.replies().map((r) => r.confirmed)).toEqual([true, false, false]);
    expect(emu.exchange.orders().map((o) => o.clientRef)).toEqual(['MKT1']);

    expect(replyDecision({ confirm: ['o163'], refuse: [] }, ['o163'])).toEqual({ confirm: true, why: 'o163 on the confirm list' });
    expect(replyDecision({ confirm: ['o163'], refuse: ['o163'] }, ['o163']).confirm).toBe(false);
  });

  it('puts a stop in `price` and a stop-limit\'s stop in `auxPrice`, our id in cOID, and modifies by restating the ticket', async () => {
    h = await startIbkrHarness({ questions: () => [] });
    const { broker, emu } = h;
    await broker.connect();
    await broker.placeOrder(buy({ clientOrderId: 'STP1', type: 'stop', limitPrice: undefined, triggerPrice: 28_000, quantity: 2 }));
    const { brokerOrderId } = await broker.placeOrder(buy({ clientOrderId: 'STL1', type: 'stop_limit', limitPrice: 28_100, triggerPrice: 28_000, quantity: 2 }));
    const sent = placements(h).map((c) => (JSON.parse(c.body) as { orders: Record<string, unknown>[] }).orders[0]);
    expect(sent[0]).toEqual({ acctId: emu.account, conid: 265598, cOID: 'STP1', orderType: 'STP', side: 'BUY', quantity: 2, tif: 'DAY', listingExchange: 'SMART', outsideRTH: false, price: 280 });
    expect(sent[1]).toMatchObject({ cOID: 'STL1', orderType: 'STOP_LIMIT', price: 281, auxPrice: 280 });
    await broker.modifyOrder(brokerOrderId, { quantity: 3, limitPrice: 28_200 });
    const modify = emu.server.calls.find((c) => c.path.endsWith(`/order/${brokerOrderId}`) && c.method === 'POST')!;
    expect(JSON.parse(modify.body)).toMatchObject({ cOID: 'STL1', orderType: 'STOP_LIMIT', quantity: 3, price: 282, auxPrice: 280 });
    expect((await broker.orders()).find((o) => o.brokerOrderId === brokerOrderId)).toMatchObject({ quantity: 3, limitPrice: 28_200, type: 'stop_limit', clientOrderId: 'STL1', status: 'accepted', brokerStatus: 'PreSubmitted' });
    // A cOID used before is refused by IBKR; the refusal keeps its words.
    const again = (await broker.placeOrder(buy({ clientOrderId: 'STP1', type: 'stop', limitPrice: undefined, triggerPrice: 28_000 })).catch((e: unknown) => e)) as BrokerError;
    expect(again.kind).toBe('rejected');
    expect(again.message).toMatch(/Local order ID=STP1 is already registered/);
  });
});

describe('IBKR snapshot, pacing and the gateway session', () => {
  it('reads holdings with their T+1 part from the last days\' executions, cash in cents, and looks each conid up once a day', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ptexec-ibkr-'));
    try {
      h = await startIbkrHarness({ cash: 5_000_000, holdings: [{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000 }] }, { cacheDir: cache });
      const { broker, emu } = h;
      await broker.connect();
      expect(await broker.holdings()).toEqual([{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000, lastPrice: 27_001 }]);
      expect(await broker.funds()).toEqual({ currency: 'USD', available: 5_000_000, used: 0 });
      const [aapl] = await broker.instruments([{ symbol: 'AAPL', exchange: 'NASDAQ' }]);
      expect(aapl).toMatchObject({ currency: 'USD', tickSize: 1, lotSize: 1, brokerToken: '265598' });
      expect(await broker.instruments([{ symbol: 'AAPL', exchange: 'NYSE' }, { symbol: 'NOSUCH' }])).toEqual([]);
      // The snapshot's pre-flight: the first answer has no fields, the second has the quote.
      expect(await broker.quotes([{ symbol: 'AAPL', exchange: 'NASDAQ' }])).toMatchObject([{ symbol: 'AAPL', bid: 27_000, ask: 27_002, last: 27_001, close: 26_850 }]);
      const lookups = () => emu.server.calls.filter((c) => c.path.endsWith('/trsrv/stocks')).length;
      expect(lookups()).toBe(2);
      // Another command the same day reads the conids from the day's cache.
      const second = await startIbkrHarness({}, { cacheDir: cache });
      try {
        await second.broker.instruments([{ symbol: 'AAPL' }, { symbol: 'NOSUCH' }]);
        expect(second.emu.server.calls.filter((c) => c.path.endsWith('/trsrv/stocks'))).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('keeps the gateway\'s one read of the order book per interval, answering from the book the stream and its placements keep', async () => {
    // An interval longer than the test: every read after the pre-flight is the kept book.
    h = await startIbkrHarness({ perSecond: 10, questions: () => [] }, { rateLimit: true, bookReadIntervalMs: 600_000 });
    const { broker, emu } = h;
    await broker.connect();
    const reads = () => emu.server.calls.filter((c) => c.path.endsWith('/iserver/account/orders')).length;
    expect(reads()).toBe(1); // the pre-flight
    const { brokerOrderId } = await broker.placeOrder(buy({ clientOrderId: 'PACE1' }));
    await broker.orders();
    await broker.orders();
    expect(reads()).toBe(1);
    expect((await broker.findOrderByClientId('PACE1'))?.brokerOrderId).toBe(brokerOrderId);
    const seen: string[] = [];
    const stop = broker.subscribe((e) => e.type === 'order' && seen.push(e.order.brokerStatus));
    // Once the stream is up, IBKR's updates reach the kept book.
    for (let i = 0; i < 1_000 && emu.server.stream.open() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    emu.setStatus(brokerOrderId, 'PendingCancel');
    for (let i = 0; i < 1_000 && !seen.includes('PendingCancel'); i++) await new Promise((r) => setTimeout(r, 10));
    stop();
    expect((await broker.orders()).find((o) => o.brokerOrderId === brokerOrderId)).toMatchObject({ status: 'pending_cancel', brokerStatus: 'PendingCancel' });
    expect(reads()).toBe(1);
    expect(emu.server.calls.every((c) => c.status !== 429)).toBe(true);
  });

  it('looks an order whose placement answer was lost up in IBKR\'s book, waiting for the pace rather than trusting its own', async () => {
    h = await startIbkrHarness({ perSecond: 10, questions: () => [] }, { rateLimit: true, bookReadIntervalMs: 2_000 });
    const { broker, emu } = h;
    await broker.connect();
    const reads = () => emu.server.calls.filter((c) => c.path.endsWith('/iserver/account/orders')).length;
    emu.server.faults.bookThenReset();
    expect(((await broker.placeOrder(buy({ clientOrderId: 'LOST1' })).catch((e: unknown) => e)) as BrokerError).kind).toBe('unknown_outcome');
    expect(await broker.findOrderByClientId('LOST1')).toMatchObject({ clientOrderId: 'LOST1', quantity: 10 });
    expect(reads()).toBe(2);
  });

  it('reports a gateway nobody logged in to as auth with the way to log in, and `brokers login` checks it after the user logs in', async () => {
    h = await startIbkrHarness({ authenticated: false });
    const { broker, emu } = h;
    const err = (await broker.connect().catch((e: unknown) => e)) as BrokerError;
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/Client Portal Gateway at http:\/\/127\.0\.0\.1:\d+ is not logged in/);
    expect(err.hint).toMatch(/open http:\/\/127\.0\.0\.1:\d+ in a browser .*ptexec brokers login ibkr/);
    expect(emu.server.calls.map((c) => c.path.replace('/v1/api', ''))).toEqual(['/iserver/auth/status', '/iserver/reauthenticate', '/iserver/auth/status']);

    const login = ibkrLogin({ api_url: emu.url, reauth_wait_ms: 0 }, {}, new WallClock());
    expect(login.fields).toEqual([]);
    const nobody = talk();
    expect(await login.logIn({}, nobody).catch((e: unknown) => (e as BrokerError).kind)).toBe('auth');
    expect(nobody.lines.join('\n')).toMatch(/Open http:\/\/127\.0\.0\.1:\d+ in a browser on this machine and log in/);
    expect(nobody.asked).toBe(1);
    const someone = talk();
    someone.ask = async () => {
      emu.browserLogin(true);
      return '';
    };
    expect(await login.logIn({}, someone)).toMatchObject({ userId: emu.account, accessToken: 'client-portal-gateway' });
    emu.compete();
    expect(((await broker.connect().catch((e: unknown) => e)) as BrokerError).message).toMatch(/another IBKR session .* competes/);
    await login.deleteSession({}, 'client-portal-gateway');
    expect(emu.server.calls.at(-1)?.path).toBe('/v1/api/logout');
  });

  it('verifies the gateway\'s certificate except on this machine, where it is self-signed; a remote gateway cannot turn it off', () => {
    const local = parseIbkrSettings({}, {});
    expect(local.settings).toMatchObject({ api_url: 'https://localhost:5000/v1/api', ws_url: 'wss://localhost:5000/v1/api/ws', verify_tls: false });
    expect(parseIbkrSettings({ ca_file: '/etc/ibkr/gateway.pem' }, {}).settings?.verify_tls).toBe(true);
    expect(parseIbkrSettings({ api_url: 'https://gw.example.com:5000/v1/api' }, {}).settings?.verify_tls).toBe(true);
    expect(parseIbkrSettings({ api_url: 'https://gw.example.com:5000/v1/api', verify_tls: false }, {}).error).toMatch(/verify_tls may be false only for a gateway on this machine, not gw\.example\.com:5000/);
    expect(parseIbkrSettings({}, { PTEXEC_IBKR_URL: 'http://127.0.0.1:9/v1/api' }).settings).toMatchObject({ api_url: 'http://127.0.0.1:9/v1/api', ws_url: 'ws://127.0.0.1:9/v1/api/ws' });
    expect(parseIbkrSettings({ order_replies: { confirm: ['o163'] } }, {}).settings?.order_replies).toEqual({ confirm: ['o163'], refuse: ['o163', 'o354', 'o382', 'o383', 'o403', 'o451', 'o10138', 'p6', 'p12'] });
  });
});
