import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { ERROR_STATUS, input, KiteEmulatorError } from './kite-error.js';
import { type EmulatedHolding, type EmulatedInstrument, type EmulatedOrder, type EmulatedPosition, KiteExchange, kiteTime, rupees } from './kite-exchange.js';

export interface KiteEmulatorOptions {
  apiKey?: string;
  apiSecret?: string;
  userId?: string;
  /** An access token valid from the start (tests that do not exercise the login). */
  accessToken?: string | null;
  instruments?: EmulatedInstrument[];
  /** Paise. */
  cash?: number;
  holdings?: EmulatedHolding[];
  partialFills?: boolean;
  /** Order calls (place, modify, cancel) allowed per rolling second before 429. */
  ordersPerSecond?: number;
  quotesPerSecond?: number;
  /** Instruments allowed per /quote call. */
  quoteMaxInstruments?: number;
  heartbeatMs?: number;
  /** Delay between the acceptance statuses (PUT ORDER REQ RECEIVED → … → OPEN); 0 = all at once, before the answer. */
  statusStepMs?: number;
  /** Matching pass interval; 0 = only when the test calls `state.match()`. */
  matchIntervalMs?: number;
  /** Where the login page redirects with `?request_token=…`. */
  redirectUrl?: string;
  /** The clock arrivals are counted on for the rate limits (default the wall clock; a test's virtual clock). */
  now?: () => number;
  /** The exchange's clock: when orders and trades happen (default the wall clock; a past day for settlement tests). */
  marketNow?: () => number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
  at: number;
}

/** Switches that make the emulator misbehave the way a real API sometimes does. */
export class KiteFaults {
  stalledPlacements = 0;
  stallMs = Number.POSITIVE_INFINITY;
  lostPlacements = 0;
  resetPlacements = 0;
  /** Answers of booked placements held until close (see stallPlacements). */
  readonly heldAnswers = new Set<ServerResponse>();
  serverErrorsLeft = 0;
  serverErrorType = 'NetworkException';
  serverErrorStatus = 503;
  droppedMessagesLeft = 0;
  malformedLeft = 0;
  hungLeft = 0;
  rateLimitedLeft = 0;
  duplicateMessages = false;
  /** Stream messages held while reordering, sent newest first when it ends. */
  private heldMessages: string[] | undefined;
  silenced = false;
  refuseWebSocket = false;
  injected: { method?: string; path?: RegExp; errorType: string; status: number; message: string; count: number }[] = [];
  /** Answers from something that is not the Kite API (a web server, a proxy, another API). */
  foreign: { path?: RegExp; status: number; contentType: string; body: string }[] = [];

  constructor(
    private readonly dropAll: () => void,
    private readonly broadcast: (text: string) => void,
  ) {}

  /** The next `count` API calls answer 200 with a JSON body cut short (a proxy or the API failing mid-answer). */
  malformedBodies(count: number): void {
    this.malformedLeft = count;
  }

  /** The next `count` API calls are accepted and never answered, nor processed (the client times out). */
  hang(count: number): void {
    this.hungLeft = count;
  }

  /** The next `count` API calls get Kite's 429 answer, unprocessed. */
  rateLimit(count: number): void {
    this.rateLimitedLeft = count;
  }

  /** Every order message on the WebSocket is sent twice. */
  duplicateWsMessages(on: boolean): void {
    this.duplicateMessages = on;
  }

  /** Order messages are held while on, and sent newest first when switched off. */
  reorderWsMessages(on: boolean): void {
    if (on) {
      this.heldMessages ??= [];
      return;
    }
    const held = this.heldMessages ?? [];
    this.heldMessages = undefined;
    for (const text of held.reverse()) this.broadcast(text);
  }

  /** An order message on its way out: dropped, held, doubled or sent. */
  deliver(text: string): void {
    if (this.droppedMessagesLeft > 0) {
      this.droppedMessagesLeft--;
      return;
    }
    if (this.heldMessages) {
      this.heldMessages.push(text);
      return;
    }
    this.broadcast(text);
    if (this.duplicateMessages) this.broadcast(text);
  }

  /** The next `count` placements are booked, but their answer is held for `ms` (default: until close). */
  stallPlacements(count = 1, ms = Number.POSITIVE_INFINITY): void {
    this.stalledPlacements = count;
    this.stallMs = ms;
  }

  /** Cuts the connections of the placements whose answer is held: the client sees a reset after Kite booked the order. */
  resetHeldPlacements(): void {
    for (const res of this.heldAnswers) res.socket?.destroy();
    this.heldAnswers.clear();
  }

  /** The next `count` placements are booked, then their connection is cut before the answer (a reset after booking). */
  bookThenReset(count = 1): void {
    this.resetPlacements = count;
  }

  /** The next `count` placements are lost on the way: never booked and never answered (the client times out). */
  losePlacements(count = 1): void {
    this.lostPlacements = count;
  }

  /** The next `count` API calls fail with a 5xx envelope without being processed. */
  serverErrors(count: number, errorType = 'NetworkException', status = ERROR_STATUS[errorType] ?? 503): void {
    this.serverErrorsLeft = count;
    this.serverErrorType = errorType;
    this.serverErrorStatus = status;
  }

  /** The next matching call fails with this error_type (and its usual HTTP status unless given). */
  inject(fault: { method?: string; path?: RegExp; errorType: string; status?: number; message?: string; count?: number }): void {
    this.injected.push({
      method: fault.method,
      path: fault.path,
      errorType: fault.errorType,
      status: fault.status ?? ERROR_STATUS[fault.errorType] ?? 500,
      message: fault.message ?? `${fault.errorType} injected by the emulator`,
      count: fault.count ?? 1,
    });
  }

  /**
   * Calls to matching paths are answered as a web server that is not Kite would (an API URL
   * with a typo): by default a 404 HTML page.
   */
  answerAsForeign(answer: { path?: RegExp; status?: number; contentType?: string; body?: string } = {}): void {
    this.foreign.push({
      path: answer.path,
      status: answer.status ?? 404,
      contentType: answer.contentType ?? 'text/html',
      body: answer.body ?? '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>',
    });
  }

  /** Cuts every order-update WebSocket connection. */
  dropWebSocket(): void {
    this.dropAll();
  }

  /** The next `count` order messages are not sent on the WebSocket. */
  dropWsMessages(count: number): void {
    this.droppedMessagesLeft = count;
  }

  /** Stops heartbeats and messages (the connection stays open but says nothing). */
  silence(on: boolean): void {
    this.silenced = on;
  }
}

export interface KiteEmulator {
  url: string;
  wsUrl: string;
  loginUrl: string;
  apiKey: string;
  apiSecret: string;
  userId: string;
  state: KiteEmulatorState;
  faults: KiteFaults;
  close(): Promise<void>;
}

export interface KiteEmulatorState {
  exchange: KiteExchange;
  requests: RequestRecord[];
  /** Requests answered 429. */
  rateLimited: number;
  /** Currently valid access tokens. */
  accessTokens: Set<string>;
  /** A one-time request token, as the login redirect would deliver. */
  issueRequestToken(): string;
  /** Invalidates every access token: the next call gets 403 TokenException. */
  expireTokens(): void;
  match(): number;
  wsClients(): number;
}

interface Route {
  method: string;
  pattern: RegExp;
  cls: 'orders' | 'quote' | 'other';
  anonymous?: boolean;
  handle(m: RegExpExecArray, req: { query: URLSearchParams; form: URLSearchParams; token: string }): unknown;
}

/**
 * A strict Kite Connect v3 server on 127.0.0.1 (random port): HTTP API and the order-update
 * WebSocket. It refuses what Kite refuses — a missing X-Kite-Version, a bad Authorization, a
 * JSON body where a form is expected, unknown enums, a bad tag, a MARKET order without market
 * protection, more than N order calls per second — and answers with Kite's envelopes.
 */
export async function startKiteEmulator(options: KiteEmulatorOptions = {}): Promise<KiteEmulator> {
  const apiKey = options.apiKey ?? 'emuapikey01';
  const apiSecret = options.apiSecret ?? 'emuapisecret0123456789';
  const userId = options.userId ?? 'ZX1234';
  const exchange = new KiteExchange({ instruments: options.instruments, cash: options.cash, holdings: options.holdings, partialFills: options.partialFills, now: options.marketNow });
  const accessTokens = new Set<string>();
  if (options.accessToken !== null) accessTokens.add(options.accessToken ?? 'emuaccesstoken0001');
  const requestTokens = new Set<string>();
  const orderCalls: number[] = [];
  const quoteCalls: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const clients = new Set<WebSocket>();
  const sockets = new Set<Socket>();
  const faults = new KiteFaults(
    () => {
      for (const c of clients) c.terminate();
    },
    (text) => {
      for (const c of clients) if (c.readyState === WebSocket.OPEN) c.send(text);
    },
  );
  const state: KiteEmulatorState = {
    exchange,
    requests: [],
    rateLimited: 0,
    accessTokens,
    issueRequestToken() {
      const t = randomBytes(16).toString('hex');
      requestTokens.add(t);
      return t;
    },
    expireTokens() {
      accessTokens.clear();
    },
    match: () => exchange.match(),
    wsClients: () => [...clients].filter((c) => c.readyState === WebSocket.OPEN).length,
  };

  const statusStep = options.statusStepMs ?? 2;
  const progress = (id: string) => {
    if (exchange.advance(id)) later(() => progress(id), statusStep);
  };

  const profile = () => ({
    user_id: userId,
    user_name: 'Emulated User',
    user_shortname: 'Emulated',
    email: 'user@example.com',
    user_type: 'individual',
    broker: 'ZERODHA',
    exchanges: ['NSE', 'BSE'],
    products: ['CNC', 'NRML', 'MIS'],
    order_types: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
  });

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/session\/token$/,
      cls: 'other',
      anonymous: true,
      handle: (_m, { form }) => {
        const key = form.get('api_key');
        const requestToken = form.get('request_token') ?? '';
        const checksum = form.get('checksum') ?? '';
        if (!key || !requestToken || !checksum) throw input('Missing api_key, request_token or checksum');
        if (key !== apiKey) throw new KiteEmulatorError('TokenException', 403, 'Invalid `api_key`.');
        const expected = createHash('sha256').update(apiKey + requestToken + apiSecret).digest('hex');
        if (checksum !== expected) throw new KiteEmulatorError('TokenException', 403, 'Invalid `checksum`.');
        if (!requestTokens.delete(requestToken)) throw new KiteEmulatorError('TokenException', 403, 'Token is invalid or has expired.');
        const access = randomBytes(16).toString('hex');
        accessTokens.add(access);
        return { ...profile(), access_token: access, public_token: randomBytes(8).toString('hex'), refresh_token: '', login_time: kiteTime(Date.now()), api_key: apiKey };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/session\/token$/,
      cls: 'other',
      anonymous: true,
      handle: (_m, { query }) => {
        if (query.get('api_key') !== apiKey) throw new KiteEmulatorError('TokenException', 403, 'Invalid `api_key`.');
        const token = query.get('access_token') ?? '';
        if (!accessTokens.delete(token)) throw new KiteEmulatorError('TokenException', 403, 'Incorrect `api_key` or `access_token`.');
        return true;
      },
    },
    { method: 'GET', pattern: /^\/user\/profile$/, cls: 'other', handle: () => profile() },
    {
      method: 'GET',
      pattern: /^\/user\/margins$/,
      cls: 'other',
      handle: () => ({
        equity: {
          enabled: true,
          net: rupees(exchange.cash),
          available: { adhoc_margin: 0, cash: rupees(exchange.cash), opening_balance: rupees(exchange.cash), live_balance: rupees(exchange.cash), collateral: 0, intraday_payin: 0 },
          utilised: { debits: rupees(exchange.used), exposure: 0, m2m_realised: 0, m2m_unrealised: 0, option_premium: 0, payout: 0, span: 0, holding_sales: 0, turnover: 0 },
        },
        commodity: { enabled: false, net: 0, available: {}, utilised: {} },
      }),
    },
    {
      method: 'GET',
      pattern: /^\/portfolio\/holdings$/,
      cls: 'other',
      handle: () =>
        exchange.holdings.map((h) => {
          const inst = exchange.instrument(h.exchange, h.symbol);
          return {
            tradingsymbol: h.symbol,
            exchange: h.exchange,
            instrument_token: inst?.token ?? 0,
            isin: 'INE000000000',
            product: 'CNC',
            quantity: h.quantity,
            t1_quantity: h.t1Quantity,
            used_quantity: exchange.usedQuantity(h),
            realised_quantity: h.quantity,
            opening_quantity: h.quantity + h.t1Quantity,
            collateral_quantity: 0,
            average_price: Number(rupees(h.averagePrice).toFixed(4)),
            last_price: rupees(inst?.last ?? 0),
            close_price: rupees(inst?.close ?? 0),
            pnl: 0,
          };
        }),
    },
    {
      method: 'GET',
      pattern: /^\/portfolio\/positions$/,
      cls: 'other',
      // Equity positions live one day: CNC moves to holdings overnight, MIS is squared off, so
      // `net` (carried + today) and `day` (today) are the same rows, unless `carryDeliveryInNet`.
      handle: () => {
        const row = (p: EmulatedPosition, overnight = 0) => {
          const side = p.quantity >= 0 ? { value: p.buyValue, quantity: p.buyQuantity } : { value: p.sellValue, quantity: p.sellQuantity };
          return {
            tradingsymbol: p.symbol,
            exchange: p.exchange,
            instrument_token: exchange.instrument(p.exchange, p.symbol)?.token ?? 0,
            product: p.product,
            quantity: p.quantity + overnight,
            overnight_quantity: overnight,
            multiplier: 1,
            average_price: side.quantity ? Number(rupees(side.value / side.quantity).toFixed(4)) : 0,
            buy_quantity: p.buyQuantity,
            buy_value: rupees(p.buyValue),
            sell_quantity: p.sellQuantity,
            sell_value: rupees(p.sellValue),
            day_buy_quantity: p.buyQuantity,
            day_sell_quantity: p.sellQuantity,
            pnl: 0,
          };
        };
        const day = exchange.dayPositions();
        const carried = exchange.overnight.map((o) => {
          const today = day.find((p) => p.exchange === o.exchange && p.symbol === o.symbol && p.product === o.product);
          return row(today ?? { ...o, quantity: 0, buyQuantity: 0, buyValue: 0, sellQuantity: 0, sellValue: 0 }, o.quantity);
        });
        const onlyToday = day.filter((p) => !exchange.overnight.some((o) => o.exchange === p.exchange && o.symbol === p.symbol && o.product === p.product));
        return { net: [...carried, ...onlyToday.map((p) => row(p))], day: day.map((p) => row(p)) };
      },
    },
    { method: 'GET', pattern: /^\/orders$/, cls: 'other', handle: () => exchange.orders() },
    { method: 'GET', pattern: /^\/trades$/, cls: 'other', handle: () => exchange.trades.map((t) => ({ ...t })) },
    {
      method: 'GET',
      pattern: /^\/orders\/(\d+)\/trades$/,
      cls: 'other',
      handle: (m) => {
        exchange.history(m[1]!);
        return exchange.trades.filter((t) => t.order_id === m[1]).map((t) => ({ ...t }));
      },
    },
    { method: 'GET', pattern: /^\/orders\/(\d+)$/, cls: 'other', handle: (m) => exchange.history(m[1]!) },
    {
      method: 'POST',
      pattern: /^\/orders\/([a-z]+)$/,
      cls: 'orders',
      handle: (m, { form }) => {
        const id = exchange.place(m[1]!, form);
        if (statusStep === 0) exchange.completeAcceptance(id);
        else later(() => progress(id), statusStep);
        return { order_id: id };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/orders\/([a-z]+)\/(\d+)$/,
      cls: 'orders',
      handle: (m, { form }) => {
        exchange.modify(m[1]!, m[2]!, form);
        return { order_id: m[2]! };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/orders\/([a-z]+)\/(\d+)$/,
      cls: 'orders',
      handle: (m) => {
        exchange.cancel(m[1]!, m[2]!);
        return { order_id: m[2]! };
      },
    },
    {
      method: 'GET',
      pattern: /^\/quote$/,
      cls: 'quote',
      handle: (_m, { query }) => {
        const keys = query.getAll('i');
        if (keys.length === 0) throw input('No instruments given.');
        if (keys.length > (options.quoteMaxInstruments ?? 500)) throw input('Too many instruments.');
        const out: Record<string, unknown> = {};
        for (const key of keys) {
          const [ex, sym] = key.split(':');
          const i = ex && sym ? exchange.instrument(ex, sym) : undefined;
          if (!i) continue;
          out[key] = {
            instrument_token: i.token,
            timestamp: kiteTime(Date.now()),
            last_trade_time: kiteTime(Date.now()),
            last_price: rupees(i.last),
            last_quantity: 1,
            buy_quantity: 1000,
            sell_quantity: 1000,
            volume: i.volume,
            average_price: rupees(i.last),
            oi: 0,
            net_change: rupees(i.last - i.close),
            lower_circuit_limit: rupees(Math.round(i.close * 0.8)),
            upper_circuit_limit: rupees(Math.round(i.close * 1.2)),
            ohlc: { open: rupees(i.close), high: rupees(i.ask), low: rupees(i.bid), close: rupees(i.close) },
            depth: {
              buy: [{ price: rupees(i.bid), quantity: 500, orders: 3 }],
              sell: [{ price: rupees(i.ask), quantity: 500, orders: 4 }],
            },
          };
        }
        return out;
      },
    },
  ];

  const instrumentsCsv = () => {
    const header = 'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange';
    const rows = exchange.instruments.map(
      (i) => `${i.token},${Math.floor(i.token / 256)},${i.symbol},"${i.name}",${rupees(i.last)},,0,${rupees(i.tick)},${i.lot},EQ,${i.exchange},${i.exchange}`,
    );
    rows.push('256265,1001,NIFTY 50,"NIFTY 50",0,,0,0,0,EQ,INDICES,NSE', '13238786,51714,NIFTY26JANFUT,"NIFTY",0,2026-01-27,0,0.1,75,FUT,NFO-FUT,NFO');
    return `${[header, ...rows].join('\n')}\n`;
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const sendError = (res: ServerResponse, err: KiteEmulatorError) => send(res, err.status, { status: 'error', message: err.message, error_type: err.errorType, data: null });

  /** A rolling one-second window over arrival times (bodies may finish out of arrival order). */
  const overLimit = (calls: number[], limit: number, now: number) => {
    const recent = calls.filter((t) => t > now - 1000 && t <= now).length;
    if (recent >= limit) return true;
    calls.push(now);
    if (calls.length > 4 * limit) calls.splice(0, calls.length - 2 * limit);
    return false;
  };

  const server = createServer((req, res) => {
    // Rate limits count arrivals: the time the request line arrived, not when its body was read.
    const arrivedAt = (options.now ?? Date.now)();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const record: RequestRecord = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body, status: 0, at: arrivedAt };
      state.requests.push(record);
      res.on('finish', () => {
        record.status = res.statusCode;
      });
      try {
        handle(req, res, url, body, arrivedAt);
      } catch (err) {
        if (err instanceof KiteEmulatorError) sendError(res, err);
        else send(res, 500, { status: 'error', message: String(err), error_type: 'GeneralException', data: null });
      }
    });
  });

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL, body: string, arrivedAt: number) => {
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/connect/login') {
      if (url.searchParams.get('api_key') !== apiKey || url.searchParams.get('v') !== '3') throw input('Invalid api_key or version.');
      const target = new URL(options.redirectUrl ?? 'http://127.0.0.1/redirect');
      target.searchParams.set('request_token', state.issueRequestToken());
      target.searchParams.set('action', 'login');
      target.searchParams.set('status', 'success');
      res.writeHead(302, { location: target.toString() });
      res.end();
      return;
    }
    const foreign = faults.foreign.find((f) => !f.path || f.path.test(url.pathname));
    if (foreign) {
      res.writeHead(foreign.status, { 'content-type': foreign.contentType, 'content-length': Buffer.byteLength(foreign.body) });
      res.end(foreign.body);
      return;
    }
    if (req.headers['x-kite-version'] !== '3') throw input('X-Kite-Version header is missing or not 3.');
    const isInstruments = method === 'GET' && url.pathname === '/instruments';
    const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route && !isInstruments) throw new KiteEmulatorError('GeneralException', 404, 'Route not found');
    let token = '';
    if (!route?.anonymous) {
      const auth = req.headers.authorization ?? '';
      const m = /^token ([^:\s]+):(\S+)$/.exec(auth);
      if (!m || m[1] !== apiKey || !accessTokens.has(m[2]!)) throw new KiteEmulatorError('TokenException', 403, 'Incorrect `api_key` or `access_token`.');
      token = m[2]!;
    }
    if ((method === 'POST' || method === 'PUT') && body.length > 0) {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (type !== 'application/x-www-form-urlencoded') throw input(`Expected an application/x-www-form-urlencoded body, got "${type || 'none'}".`);
    }
    if (!route?.anonymous && faults.hungLeft > 0) {
      faults.hungLeft--;
      faults.heldAnswers.add(res);
      return;
    }
    if (!route?.anonymous && faults.rateLimitedLeft > 0) {
      faults.rateLimitedLeft--;
      state.rateLimited++;
      throw new KiteEmulatorError('NetworkException', 429, 'Too many requests');
    }
    if (!route?.anonymous && faults.malformedLeft > 0) {
      faults.malformedLeft--;
      const cut = '{"status":"success","data":{"equity":{"enabled":tr';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(cut) });
      res.end(cut);
      return;
    }
    if (!route?.anonymous && faults.serverErrorsLeft > 0) {
      faults.serverErrorsLeft--;
      throw new KiteEmulatorError(faults.serverErrorType, faults.serverErrorStatus, 'Something went wrong while processing the request (emulated outage).');
    }
    const injected = faults.injected.find((f) => (!f.method || f.method === method) && (!f.path || f.path.test(url.pathname)) && f.count > 0);
    if (injected) {
      injected.count--;
      faults.injected = faults.injected.filter((f) => f.count > 0);
      throw new KiteEmulatorError(injected.errorType, injected.status, injected.message);
    }
    const cls = route?.cls ?? 'other';
    if (cls === 'orders' && overLimit(orderCalls, options.ordersPerSecond ?? 10, arrivedAt)) {
      state.rateLimited++;
      throw new KiteEmulatorError('NetworkException', 429, 'Too many requests');
    }
    if (cls === 'quote' && overLimit(quoteCalls, options.quotesPerSecond ?? 1, arrivedAt)) {
      state.rateLimited++;
      throw new KiteEmulatorError('NetworkException', 429, 'Too many requests');
    }
    if (isInstruments) {
      const csv = instrumentsCsv();
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(csv) });
      res.end(csv);
      return;
    }
    if (method === 'POST' && route!.cls === 'orders' && faults.lostPlacements > 0) {
      faults.lostPlacements--;
      return;
    }
    const m = route!.pattern.exec(url.pathname)!;
    const data = route!.handle(m, { query: url.searchParams, form: new URLSearchParams(body), token });
    if (method === 'POST' && route!.cls === 'orders' && faults.resetPlacements > 0) {
      faults.resetPlacements--;
      res.socket?.destroy();
      return;
    }
    if (method === 'POST' && route!.cls === 'orders' && faults.stalledPlacements > 0) {
      faults.stalledPlacements--;
      // The order is booked; only the answer is lost (held until the delay or until close).
      if (Number.isFinite(faults.stallMs)) later(() => send(res, 200, { status: 'success', data }), faults.stallMs);
      else faults.heldAnswers.add(res);
      return;
    }
    send(res, 200, { status: 'success', data });
  };

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = url.pathname === '/ws' && url.searchParams.get('api_key') === apiKey && accessTokens.has(url.searchParams.get('access_token') ?? '');
    if (!ok || faults.refuseWebSocket) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
      ws.send(JSON.stringify({ type: 'message', data: 'connected' }));
    });
  });

  const heartbeat = setInterval(() => {
    if (faults.silenced) return;
    for (const c of clients) if (c.readyState === WebSocket.OPEN) c.send(Buffer.from([0]), { binary: true });
  }, options.heartbeatMs ?? 1000);

  const unsubscribe = exchange.onOrderChange((order: EmulatedOrder) => {
    if (faults.silenced) return;
    faults.deliver(JSON.stringify({ type: 'order', data: order }));
  });

  const matchInterval = options.matchIntervalMs ?? 20;
  const matcher = matchInterval > 0 ? setInterval(() => exchange.match(), matchInterval) : undefined;

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    loginUrl: `http://127.0.0.1:${port}/connect/login`,
    apiKey,
    apiSecret,
    userId,
    state,
    faults,
    async close() {
      clearInterval(heartbeat);
      if (matcher) clearInterval(matcher);
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      for (const c of clients) c.terminate();
      wss.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
