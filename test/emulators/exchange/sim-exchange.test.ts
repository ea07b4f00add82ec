import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorServer, startEmulatorServer, WireError } from './emulator-server.js';
import { SimExchange, SimRefusal } from './sim-exchange.js';

describe('SimExchange', () => {
  it('books, accepts, fills in two parts and settles the holding T+1 at the end of the day', () => {
    const x = new SimExchange({ holdings: [] });
    const id = x.place({ symbol: 'SBIN', exchange: 'NSE', side: 'BUY', type: 'LIMIT', product: 'delivery', validity: 'DAY', quantity: 10, price: 80_005, trigger: 0, clientRef: 'R1L1C1' });
    x.accept(id);
    expect(x.order(id)!.phase).toBe('open');
    expect(x.match()).toBe(1);
    expect(x.order(id)!.filled).toBe(5);
    x.match();
    expect(x.order(id)!.phase).toBe('complete');
    expect(x.trades.map((t) => t.quantity)).toEqual([5, 5]);
    expect(x.ownedQuantity('NSE', 'SBIN')).toBe(10);
    expect(x.holdings).toEqual([]);
    x.nextDay();
    expect(x.holdings).toEqual([{ symbol: 'SBIN', exchange: 'NSE', quantity: 0, t1Quantity: 10, averagePrice: 80_005 }]);
    expect(x.findByClientRef('R1L1C1')).toBeUndefined();
  });

  it('refuses off-tick prices and rejects a sale of shares the account does not own', () => {
    const x = new SimExchange({ holdings: [] });
    expect(() => x.place({ symbol: 'SBIN', exchange: 'NSE', side: 'BUY', type: 'LIMIT', product: 'delivery', validity: 'DAY', quantity: 1, price: 80_003, trigger: 0 })).toThrow(SimRefusal);
    const id = x.place({ symbol: 'SBIN', exchange: 'NSE', side: 'SELL', type: 'MARKET', product: 'delivery', validity: 'DAY', quantity: 1, price: 0, trigger: 0 });
    x.accept(id);
    expect(x.order(id)).toMatchObject({ phase: 'rejected', message: 'Insufficient holdings: 0 available to sell' });
    expect(() => x.cancel(id)).toThrow(/rejected/);
  });
});

describe('startEmulatorServer', () => {
  let server: EmulatorServer | undefined;
  afterEach(async () => server?.close());

  it('answers through the dialect and injects 5xx, rate limits, hung calls and a booked placement whose answer is lost', async () => {
    let booked = 0;
    server = await startEmulatorServer({
      routes: [
        { method: 'POST', pattern: /^\/orders$/, cls: 'orders', placement: true, handle: () => ({ id: ++booked }) },
        { method: 'GET', pattern: /^\/secret$/, cls: 'other', handle: () => 'never' },
      ],
      dialect: {
        authenticate: (req) => {
          if (req.path === '/secret') throw new WireError(401, { s: 'error', code: -16 });
        },
        ok: (data) => ({ status: 200, body: { s: 'ok', data } }),
        error: () => ({ status: 500, body: { s: 'error' } }),
        rateLimited: () => ({ status: 429, body: { s: 'error', code: -429 } }),
        serverError: () => ({ status: 503, body: { s: 'error', code: -503 } }),
      },
    });
    const post = () => fetch(`${server!.url}/orders`, { method: 'POST', body: '{}' });
    expect(await (await post()).json()).toEqual({ s: 'ok', data: { id: 1 } });
    expect((await fetch(`${server.url}/secret`)).status).toBe(401);
    server.faults.serverErrors(1);
    expect((await post()).status).toBe(503);
    server.faults.rateLimit(1);
    expect((await post()).status).toBe(429);
    server.faults.bookThenReset();
    await expect(post()).rejects.toThrow();
    expect(booked).toBe(2);
    server.faults.hang(1);
    // Abort only once the server holds the call, so a slow machine cannot abort it before it arrives.
    const abort = new AbortController();
    const hung = fetch(`${server.url}/orders`, { method: 'POST', body: '{}', signal: abort.signal });
    while (server.calls.length < 6) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await expect(hung).rejects.toThrow();
    expect(booked).toBe(2);
    expect(server.calls.map((c) => c.status)).toEqual([200, 401, 503, 429, 0, 0]);
  });
});
