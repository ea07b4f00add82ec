import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/brokers/http/http-client.js';
import { kiteErrorKind } from '../../src/brokers/zerodha/kite-errors.js';
import type { BrokerError } from '../../src/domain/errors/broker-error.js';
import { ERROR_STATUS } from '../emulators/kite/index.js';
import { type Harness, order, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const EXPECTED_KIND: Record<string, string> = {
  TokenException: 'auth',
  PermissionException: 'auth',
  UserException: 'auth',
  InputException: 'input',
  MarginException: 'rejected',
  HoldingException: 'rejected',
  OrderException: 'rejected',
  NetworkException: 'unavailable',
  DataException: 'unavailable',
  GeneralException: 'unavailable',
};

describe('Kite error types', () => {
  it.each(Object.keys(EXPECTED_KIND))('%s on a placement maps to its BrokerError kind with the HTTP status', async (errorType) => {
    h = await startHarness();
    h.emu.faults.inject({ method: 'POST', path: /^\/orders\//, errorType, message: `emulated ${errorType}` });
    const err = (await h.broker.placeOrder(order()).catch((e: unknown) => e)) as BrokerError;
    expect(err).toMatchObject({ name: 'BrokerError', kind: EXPECTED_KIND[errorType], broker: 'zerodha', details: { status: ERROR_STATUS[errorType], code: errorType } });
    expect(err.message).toContain(`POST /orders/regular: ${errorType} (HTTP ${ERROR_STATUS[errorType]}): emulated ${errorType}`);
    // A placement is never retried, whatever the error.
    expect(h.emu.state.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('maps statuses without an error_type, and 429 and 404 whatever the type', () => {
    expect(kiteErrorKind(429, 'NetworkException')).toBe('rate_limited');
    expect(kiteErrorKind(404, 'GeneralException')).toBe('not_found');
    expect(kiteErrorKind(403, undefined)).toBe('auth');
    expect(kiteErrorKind(502, undefined)).toBe('unavailable');
    expect(kiteErrorKind(418, undefined)).toBe('input');
    expect(kiteErrorKind(400, 'GeneralException')).toBe('input');
  });

  it('retries reads through a 5xx burst, but never a placement', async () => {
    h = await startHarness();
    h.emu.faults.serverErrors(2);
    expect(await h.broker.holdings()).toHaveLength(1);
    expect(h.emu.state.requests.filter((r) => r.path === '/portfolio/holdings').map((r) => r.status)).toEqual([503, 503, 200]);
    h.emu.faults.serverErrors(1);
    await expect(h.broker.placeOrder(order())).rejects.toMatchObject({ kind: 'unavailable', details: { status: 503 } });
    expect(h.emu.state.exchange.orders()).toHaveLength(0);
  });

  it('opens the circuit after repeated failures: new orders stop with a clear message and an error event', async () => {
    h = await startHarness({}, { circuit: { failureThreshold: 3, coolDownMs: 60_000 }, readAttempts: 1 });
    const events: string[] = [];
    h.broker.subscribe((e) => e.type === 'error' && events.push(e.error.message));
    h.emu.faults.serverErrors(3);
    for (let i = 0; i < 3; i++) await expect(h.broker.orders()).rejects.toMatchObject({ kind: 'unavailable' });
    const posts = h.emu.state.requests.length;
    await expect(h.broker.placeOrder(order())).rejects.toMatchObject({ kind: 'unavailable', message: /circuit open after 3 consecutive failures; not sending new orders/ });
    expect(h.emu.state.requests.length).toBe(posts);
    expect(events).toEqual([expect.stringMatching(/3 consecutive failures .*new orders stopped for 60 s/)]);
  });

  it('turns a 429 into rate_limited', async () => {
    h = await startHarness({ ordersPerSecond: 2 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => h!.broker.placeOrder(order({ clientOrderId: `RL${i}` }))));
    const limited = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as BrokerError);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(limited[0]).toMatchObject({ kind: 'rate_limited', details: { status: 429 }, message: /rate limited by Kite \(HTTP 429\)/ });
  });
});

describe('emulator strictness (raw requests)', () => {
  async function raw(headers: Record<string, string>, req: Partial<Parameters<HttpClient['send']>[0]> = {}) {
    const client = new HttpClient({ baseUrl: h!.emu.url, timeoutMs: 2000 });
    const res = await client.send({ method: 'POST', path: '/orders/regular', headers, ...req });
    await client.close();
    return { status: res.status, body: JSON.parse(res.text) as { status: string; error_type?: string; message?: string } };
  }
  const auth = () => ({ 'x-kite-version': '3', authorization: `token ${h!.emu.apiKey}:emuaccesstoken0001` });
  const form = { tradingsymbol: 'INFY', exchange: 'NSE', transaction_type: 'BUY', order_type: 'MARKET', quantity: 1, product: 'CNC', market_protection: -1 };

  it('refuses JSON bodies, a missing version header and a bad Authorization', async () => {
    h = await startHarness();
    expect(await raw(auth(), { json: form })).toMatchObject({ status: 400, body: { status: 'error', error_type: 'InputException' } });
    expect(await raw({ authorization: auth().authorization }, { form })).toMatchObject({ status: 400, body: { error_type: 'InputException', message: /X-Kite-Version/ } });
    expect(await raw({ 'x-kite-version': '3', authorization: `token ${h.emu.apiKey}:wrong` }, { form })).toMatchObject({ status: 403, body: { error_type: 'TokenException' } });
    expect(await raw({ 'x-kite-version': '3', authorization: 'Bearer emuaccesstoken0001' }, { form })).toMatchObject({ status: 403, body: { error_type: 'TokenException' } });
    expect(await raw(auth(), { form })).toMatchObject({ status: 200, body: { status: 'success' } });
  });

  it('refuses market orders without protection, bad enums, bad tags and off-tick prices', async () => {
    // The gateway counts every order call against the rate limit; raise it for this burst of bad requests.
    h = await startHarness({ ordersPerSecond: 100 });
    const cases: [Record<string, string | number | undefined>, RegExp][] = [
      [{ ...form, market_protection: undefined }, /market protection/],
      [{ ...form, order_type: 'SL-M', trigger_price: '1490', market_protection: 0 }, /market protection/],
      [{ ...form, product: 'XYZ' }, /product/],
      [{ ...form, exchange: 'NYSE' }, /exchange/],
      [{ ...form, transaction_type: 'HOLD' }, /transaction_type/],
      [{ ...form, tag: 'bad tag!' }, /Tag/],
      [{ ...form, tag: 'A'.repeat(21) }, /Tag/],
      [{ ...form, order_type: 'LIMIT', price: '1500.03' }, /tick size/],
      [{ ...form, order_type: 'LIMIT', price: undefined }, /Price is required/],
      [{ ...form, quantity: undefined }, /Missing quantity/],
      [{ ...form, validity: 'GTC' }, /validity/],
    ];
    for (const [body, message] of cases) {
      expect(await raw(auth(), { form: body })).toMatchObject({ status: 400, body: { error_type: 'InputException', message } });
    }
    expect(await raw(auth(), { form, path: '/orders/bracket' })).toMatchObject({ status: 400, body: { error_type: 'InputException' } });
    expect(await raw(auth(), { form, path: '/orders/iceberg' })).toMatchObject({ status: 400, body: { message: /Iceberg legs/ } });
    expect(h.emu.state.exchange.orders()).toHaveLength(0);
  });
});

describe('secrets in errors', () => {
  it('never echo the access token, API secret or request token', async () => {
    h = await startHarness();
    const secrets = ['emuaccesstoken0001', h.emu.apiSecret];
    h.emu.faults.inject({ errorType: 'InputException', message: 'bad request from token emuaccesstoken0001 with secret ' + h.emu.apiSecret });
    const a = (await h.broker.holdings().catch((e: unknown) => e)) as Error;
    h.emu.state.expireTokens();
    const b = (await h.broker.orders().catch((e: unknown) => e)) as Error;
    for (const err of [a, b]) {
      expect(err).toBeInstanceOf(Error);
      for (const s of secrets) expect(err.message).not.toContain(s);
      expect(JSON.stringify(err)).not.toContain('emuaccesstoken0001');
    }
  });
});

describe('answers that are not the Kite API (a mistyped API URL)', () => {
  it('a 404 page, an HTML or foreign JSON answer, or a Kite 404 on a fixed endpoint is "unavailable", naming the URL', async () => {
    h = await startHarness();
    const { emu, broker } = h;
    const failure = async (read: () => Promise<unknown>) => (await read().catch((e: unknown) => e)) as BrokerError;
    const urlHint = new RegExp(`^is the API URL right\\? ptexec called ${emu.url.replace(/[.:/]/g, '\\$&')} \\(PTEXEC_ZERODHA_URL, else brokers\\.zerodha\\.api_url in config\\.json\\)$`);

    emu.faults.answerAsForeign({ path: /^\/user\/profile$/ });
    const profile = await failure(() => broker.connect());
    expect(profile).toMatchObject({ name: 'BrokerError', kind: 'unavailable', details: { status: 404, code: 'not_kite', hint: expect.stringMatching(urlHint) } });
    expect(profile.message).toBe(`GET /user/profile: HTTP 404 from ${emu.url}/user/profile (text/html), not the Kite API`);

    emu.faults.answerAsForeign({ path: /^\/portfolio\/holdings$/, status: 200 });
    expect((await failure(() => broker.holdings())).message).toBe(`GET /portfolio/holdings: HTTP 200 from ${emu.url}/portfolio/holdings (text/html), not the Kite API`);
    emu.faults.answerAsForeign({ path: /^\/user\/margins$/, contentType: 'application/json', body: '{"detail":"Not Found"}' });
    const margins = await failure(() => broker.funds());
    expect([margins.kind, margins.message]).toEqual(['unavailable', `GET /user/margins: HTTP 404 from ${emu.url}/user/margins (application/json), not the Kite API`]);
    emu.faults.answerAsForeign({ path: /^\/instruments$/, status: 200 });
    expect(await failure(() => broker.instruments([{ symbol: 'INFY' }]))).toMatchObject({ kind: 'unavailable', details: { code: 'not_kite' } });

    // Kite's own 404 on an endpoint that always exists: the path is wrong, not the object.
    emu.faults.inject({ path: /^\/portfolio\/positions$/, errorType: 'GeneralException', status: 404, message: 'Route not found' });
    const positions = await failure(() => broker.positions());
    expect(positions).toMatchObject({ kind: 'unavailable', details: { status: 404, hint: expect.stringMatching(urlHint) } });
    expect(positions.message).toBe(`GET /portfolio/positions: HTTP 404 from ${emu.url}/portfolio/positions (GeneralException: Route not found), no such Kite endpoint`);
    // Looking up an order Kite does not have is still "not found".
    expect(await failure(() => broker.orderHistory('999999'))).toMatchObject({ kind: 'not_found' });
    // None of these is retried: a wrong address does not get better.
    expect(emu.state.requests.filter((r) => r.path === '/user/profile')).toHaveLength(1);
  });
});
