import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { type EmulatorRequest, type EmulatorRoute, type EmulatorServer, startEmulatorServer, WireError, type WireDialect } from '../exchange/emulator-server.js';
import { type SimExchangeOptions, type SimHolding, type SimInstrument, type SimOrder, type SimOrderType, SimExchange, SimRefusal, type SimTrade } from '../exchange/sim-exchange.js';

/**
 * A strict Upstox server over the shared SimExchange: API v2 reads, v3 order calls, the OAuth
 * token exchange, the portfolio stream (order updates) and the gzipped JSON instrument master
 * (on its own address, as Upstox serves it from a CDN). It refuses what Upstox refuses — no
 * Bearer token, a form where JSON is expected (and the reverse at the token exchange), unknown
 * fields and enums, an instrument key not in the master, a price on a MARKET order — and
 * answers with Upstox's envelopes and lower-case status words.
 *
 * Error codes: UDAPI10005 (429), UDAPI100050 (invalid token) and UDAPI100010 (unknown order id)
 * are Upstox's documented ones; the others here (UDAPI100016 bad credentials, UDAPI100057 bad
 * code, UDAPI1xxx validation) are unverified stand-ins in Upstox's shape.
 */
export interface UpstoxEmulatorOptions extends Pick<SimExchangeOptions, 'cash' | 'partialFills'> {
  holdings?: SimHolding[];
  instruments?: SimInstrument[];
  apiKey?: string;
  apiSecret?: string;
  redirectUri?: string;
  userId?: string;
  /** A token valid from the start (null: none, a test logs in). */
  accessToken?: string | null;
  /** Calls per rolling second per class before 429 UDAPI10005 (Upstox: orders 10/s, others 50/s). */
  limits?: { orders?: number; other?: number };
  /** Delay between the acceptance statuses (put order req received → validation pending → open pending → open). */
  statusStepMs?: number;
  /** Matching pass interval; 0 = only when the test calls `exchange.match()`. */
  matchIntervalMs?: number;
  now?: () => number;
}

export interface UpstoxEmulator {
  url: string;
  wsUrl: string;
  loginUrl: string;
  instrumentsUrl: string;
  apiKey: string;
  apiSecret: string;
  redirectUri: string;
  userId: string;
  exchange: SimExchange;
  server: EmulatorServer;
  accessTokens: Set<string>;
  /** A one-time authorization code, as the login redirect would deliver. */
  issueCode(): string;
  /** Invalidates every token: the next call gets 401 UDAPI100050. */
  expireTokens(): void;
  /** Downloads of the instrument master so far. */
  masterDownloads(): number;
  /** The status word Upstox shows for an order. */
  statusOf(order: SimOrder): string;
  /** Puts an order in one of Upstox's status words; its acceptance steps stop there. */
  setStatus(id: string, word: string): void;
  close(): Promise<void>;
}

const PHASE_WORDS: Record<SimOrder['phase'], string> = {
  received: 'put order req received',
  open: 'open',
  trigger_pending: 'trigger pending',
  complete: 'complete',
  cancelled: 'cancelled',
  rejected: 'rejected',
  amo: 'after market order req received',
};

const rupees = (paise: number) => paise / 100;
const pad = (n: number) => String(n).padStart(2, '0');
/** Upstox's IST "YYYY-MM-DD HH:MM:SS". */
function istTime(ms: number): string {
  const d = new Date(ms + 330 * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function problem(status: number, code: string, message: string, property?: string, value?: unknown): WireError {
  return new WireError(status, { status: 'error', errors: [{ error_code: code, message, property_path: property ?? null, invalid_value: value ?? null, errorCode: code, propertyPath: property ?? null, invalidValue: value ?? null }] });
}

const PLACE_FIELDS = ['quantity', 'product', 'validity', 'price', 'tag', 'instrument_token', 'order_type', 'transaction_type', 'disclosed_quantity', 'trigger_price', 'is_amo', 'slice', 'market_protection'] as const;
const REQUIRED_PLACE = ['quantity', 'product', 'validity', 'price', 'instrument_token', 'order_type', 'transaction_type', 'disclosed_quantity', 'trigger_price', 'is_amo'] as const;
const MODIFY_FIELDS = ['order_id', 'quantity', 'validity', 'price', 'order_type', 'disclosed_quantity', 'trigger_price', 'market_protection'] as const;

export async function startUpstoxEmulator(options: UpstoxEmulatorOptions = {}): Promise<UpstoxEmulator> {
  const apiKey = options.apiKey ?? 'upstox-emu-client-0001';
  const apiSecret = options.apiSecret ?? 'upstoxemusecret0123456789';
  const redirectUri = options.redirectUri ?? 'https://example.com/upstox/callback';
  const userId = options.userId ?? 'UX1234';
  const exchange = new SimExchange({ instruments: options.instruments, cash: options.cash, holdings: options.holdings, partialFills: options.partialFills, now: options.now });
  const accessTokens = new Set<string>();
  if (options.accessToken !== null) accessTokens.add(options.accessToken ?? 'upstox-emu-token-0001');
  const codes = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const keyOf = (i: Pick<SimInstrument, 'exchange' | 'isin'>) => `${i.exchange}_EQ|${i.isin}`;
  const byKey = (key: unknown): SimInstrument | undefined => {
    const m = typeof key === 'string' ? /^(NSE|BSE)_EQ\|([A-Z0-9]{12})$/.exec(key) : null;
    return m ? exchange.instrumentByIsin(m[1]!, m[2]!) : undefined;
  };
  const instrumentOf = (o: { exchange: string; symbol: string }) => exchange.instrument(o.exchange, o.symbol)!;
  const statusOf = (o: SimOrder) => o.statusOverride ?? (o.phase === 'cancelled' && o.amo ? 'cancelled after market order' : PHASE_WORDS[o.phase]);

  const orderRow = (o: SimOrder) => {
    const inst = instrumentOf(o);
    return {
      exchange: o.exchange,
      product: o.product === 'intraday' ? 'I' : (productById.get(o.id) ?? 'D'),
      price: rupees(o.price),
      quantity: o.quantity,
      status: statusOf(o),
      guid: null,
      tag: o.clientRef ?? null,
      instrument_token: keyOf(inst),
      placed_by: userId,
      trading_symbol: o.symbol,
      tradingsymbol: o.symbol,
      order_type: o.type,
      validity: o.validity,
      trigger_price: rupees(o.trigger),
      disclosed_quantity: o.disclosed ?? 0,
      transaction_type: o.side,
      average_price: rupees(exchange.averagePrice(o)),
      filled_quantity: o.filled,
      pending_quantity: o.quantity - o.filled - o.cancelled,
      status_message: o.message,
      status_message_raw: o.message,
      exchange_order_id: o.exchangeOrderId ?? '',
      parent_order_id: null,
      order_id: o.id,
      variety: 'SIMPLE',
      order_timestamp: istTime(o.createdAt),
      exchange_timestamp: o.exchangeOrderId ? istTime(o.updatedAt) : null,
      is_amo: o.amo === true,
      order_request_id: '1',
      order_ref_id: `${o.id}-ref`,
    };
  };
  const tradeRow = (t: SimTrade) => ({
    exchange: t.exchange,
    product: t.product === 'intraday' ? 'I' : (productById.get(t.orderId) ?? 'D'),
    trading_symbol: t.symbol,
    tradingsymbol: t.symbol,
    instrument_token: keyOf(instrumentOf(t)),
    order_type: exchange.order(t.orderId)?.type ?? 'MARKET',
    transaction_type: t.side,
    quantity: t.quantity,
    exchange_order_id: exchange.order(t.orderId)?.exchangeOrderId ?? '',
    order_id: t.orderId,
    exchange_timestamp: istTime(t.at),
    average_price: rupees(t.price),
    trade_id: t.id,
    order_ref_id: `${t.orderId}-ref`,
    order_timestamp: istTime(t.at),
  });
  const productById = new Map<string, string>();

  const jsonBody = (req: EmulatorRequest): Record<string, unknown> => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw problem(415, 'UDAPI1001', 'Content-Type must be application/json');
    try {
      const body = JSON.parse(req.body) as unknown;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      return body as Record<string, unknown>;
    } catch {
      throw problem(400, 'UDAPI1002', 'Invalid JSON body');
    }
  };
  const checkFields = (body: Record<string, unknown>, allowed: readonly string[], required: readonly string[]) => {
    for (const k of Object.keys(body)) if (!allowed.includes(k)) throw problem(400, 'UDAPI1003', `Unknown field ${k}`, k);
    for (const k of required) if (body[k] === undefined || body[k] === null) throw problem(400, 'UDAPI1004', `${k} is required`, k);
  };
  const enumOf = (body: Record<string, unknown>, field: string, values: readonly string[]) => {
    const v = body[field];
    if (typeof v !== 'string' || !values.includes(v)) throw problem(400, 'UDAPI1005', `Invalid ${field}`, field, v);
    return v;
  };
  const numberOf = (body: Record<string, unknown>, field: string, integer = false) => {
    const v = body[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) throw problem(400, 'UDAPI1006', `Invalid ${field}`, field, v);
    return v;
  };
  const paise = (r: number) => Math.round(r * 100);
  const orderIdParam = (req: EmulatorRequest) => {
    const id = req.query.get('order_id');
    if (!id) throw problem(400, 'UDAPI1004', 'order_id is required', 'order_id');
    return id;
  };
  const existing = (id: string) => {
    const o = exchange.order(id);
    if (!o) throw problem(400, 'UDAPI100010', 'Unknown order id', 'order_id', id);
    return o;
  };

  /** Orders whose status a test set: their acceptance steps stop. */
  const held = new Set<string>();
  const progress = (id: string) => {
    const o = exchange.order(id);
    if (!o || o.phase !== 'received' || held.has(id)) return;
    const steps = ['validation pending', 'open pending'];
    const at = o.statusOverride ? steps.indexOf(o.statusOverride) + 1 : 0;
    if (at < steps.length) {
      exchange.override(id, steps[at]!);
      later(() => progress(id), options.statusStepMs ?? 2);
    } else exchange.accept(id);
  };

  const routes: EmulatorRoute[] = [
    {
      method: 'POST',
      pattern: /^\/v2\/login\/authorization\/token$/,
      cls: 'other',
      anonymous: true,
      handle(req) {
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) throw problem(400, 'UDAPI1001', 'Content-Type must be application/x-www-form-urlencoded');
        const form = new URLSearchParams(req.body);
        if (form.get('grant_type') !== 'authorization_code') throw problem(400, 'UDAPI100058', 'Invalid grant_type', 'grant_type');
        if (form.get('client_id') !== apiKey || form.get('client_secret') !== apiSecret) throw problem(401, 'UDAPI100016', 'Invalid Credentials');
        if (form.get('redirect_uri') !== redirectUri) throw problem(400, 'UDAPI100069', 'redirect_uri does not match the app', 'redirect_uri');
        const code = form.get('code') ?? '';
        if (!codes.delete(code)) throw problem(400, 'UDAPI100057', 'Invalid or expired auth code', 'code');
        const token = `upstox-emu-${randomBytes(12).toString('hex')}`;
        accessTokens.add(token);
        // The token answer is the object itself, not the {status, data} envelope.
        throw new WireError(200, { email: 'pm@example.com', exchanges: ['NSE', 'BSE'], products: ['D', 'I', 'MTF'], broker: 'UPSTOX', user_id: userId, user_name: 'Emulated PM', order_types: ['MARKET', 'LIMIT', 'SL', 'SL-M'], user_type: 'individual', poa: false, is_active: true, access_token: token, extended_token: null });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v2\/logout$/,
      cls: 'other',
      handle(req) {
        accessTokens.delete(String(req.headers.authorization).slice('Bearer '.length));
        return true;
      },
    },
    { method: 'GET', pattern: /^\/v2\/user\/profile$/, cls: 'other', handle: () => ({ email: 'pm@example.com', exchanges: ['NSE', 'BSE'], products: ['D', 'I', 'MTF'], broker: 'UPSTOX', user_id: userId, user_name: 'Emulated PM', order_types: ['MARKET', 'LIMIT', 'SL', 'SL-M'], user_type: 'individual', poa: false, is_active: true }) },
    {
      method: 'GET',
      pattern: /^\/v2\/user\/get-funds-and-margin$/,
      cls: 'other',
      handle(req) {
        const segment = req.query.get('segment');
        if (segment !== null && segment !== 'SEC' && segment !== 'COM') throw problem(400, 'UDAPI1005', 'Invalid segment', 'segment', segment);
        const zero = { used_margin: 0, payin_amount: 0, span_margin: 0, adhoc_margin: 0, notional_cash: 0, available_margin: 0, exposure_margin: 0 };
        const blocked = exchange.blockedCash();
        return { equity: { ...zero, used_margin: rupees(blocked), available_margin: rupees(exchange.cash - blocked) }, commodity: zero };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/portfolio\/long-term-holdings$/,
      cls: 'other',
      handle: () =>
        exchange.holdings.map((h) => {
          const inst = instrumentOf(h);
          return { isin: inst.isin, cnc_used_quantity: exchange.usedQuantity(h), collateral_type: 'WC', company_name: inst.name, haircut: 0.2, product: 'D', quantity: h.quantity, trading_symbol: h.symbol, tradingsymbol: h.symbol, last_price: rupees(inst.last), close_price: rupees(inst.close), pnl: 0, day_change: 0, day_change_percentage: 0, instrument_token: keyOf(inst), average_price: rupees(h.averagePrice), collateral_quantity: 0, collateral_update_quantity: 0, t1_quantity: h.t1Quantity, exchange: h.exchange };
        }),
    },
    {
      method: 'GET',
      pattern: /^\/v2\/portfolio\/short-term-positions$/,
      cls: 'other',
      handle: () =>
        exchange.dayPositions().map((p) => {
          const inst = instrumentOf(p);
          const avg = (v: number, q: number) => (q ? rupees(v / q) : 0);
          return { exchange: p.exchange, multiplier: 1, value: rupees(p.buyValue - p.sellValue), pnl: 0, product: p.product === 'intraday' ? 'I' : 'D', instrument_token: keyOf(inst), average_price: p.quantity > 0 ? avg(p.buyValue, p.buyQuantity) : avg(p.sellValue, p.sellQuantity), buy_value: rupees(p.buyValue), overnight_quantity: 0, day_buy_value: rupees(p.buyValue), day_buy_price: avg(p.buyValue, p.buyQuantity), overnight_buy_amount: 0, overnight_buy_quantity: 0, day_buy_quantity: p.buyQuantity, day_sell_value: rupees(p.sellValue), day_sell_price: avg(p.sellValue, p.sellQuantity), overnight_sell_amount: 0, overnight_sell_quantity: 0, day_sell_quantity: p.sellQuantity, quantity: p.quantity, last_price: rupees(inst.last), unrealised: 0, realised: 0, sell_value: rupees(p.sellValue), trading_symbol: p.symbol, tradingsymbol: p.symbol, close_price: rupees(inst.close), buy_price: avg(p.buyValue, p.buyQuantity), sell_price: avg(p.sellValue, p.sellQuantity) };
        }),
    },
    {
      method: 'GET',
      pattern: /^\/v2\/market-quote\/quotes$/,
      cls: 'other',
      handle(req) {
        const keys = (req.query.get('symbol') ?? '').split(',').filter(Boolean);
        if (keys.length === 0) throw problem(400, 'UDAPI1004', 'symbol is required', 'symbol');
        if (keys.length > 500) throw problem(400, 'UDAPI1007', 'at most 500 instrument keys', 'symbol');
        const out: Record<string, unknown> = {};
        for (const key of keys) {
          const inst = byKey(key);
          if (!inst) continue;
          out[`${inst.exchange}_EQ:${inst.symbol}`] = { ohlc: { open: rupees(inst.close), high: rupees(inst.ask), low: rupees(inst.bid), close: rupees(inst.close) }, depth: { buy: [{ quantity: 100, price: rupees(inst.bid), orders: 3 }], sell: [{ quantity: 100, price: rupees(inst.ask), orders: 2 }] }, timestamp: new Date().toISOString(), instrument_token: keyOf(inst), symbol: inst.symbol, last_price: rupees(inst.last), volume: inst.volume, average_price: rupees(inst.last), oi: 0, net_change: rupees(inst.last - inst.close), total_buy_quantity: 1000, total_sell_quantity: 1000, lower_circuit_limit: rupees(inst.close * 0.8), upper_circuit_limit: rupees(inst.close * 1.2), last_trade_time: String(Date.now()), oi_day_high: 0, oi_day_low: 0 };
        }
        return out;
      },
    },
    { method: 'GET', pattern: /^\/v2\/order\/retrieve-all$/, cls: 'other', handle: () => exchange.orders().map(orderRow) },
    { method: 'GET', pattern: /^\/v2\/order\/details$/, cls: 'other', handle: (req) => orderRow(existing(orderIdParam(req))) },
    {
      method: 'GET',
      pattern: /^\/v2\/order\/history$/,
      cls: 'other',
      handle(req) {
        const id = orderIdParam(req);
        existing(id);
        return exchange.history(id).map(orderRow);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/order\/trades$/,
      cls: 'other',
      handle(req) {
        const id = orderIdParam(req);
        existing(id);
        return exchange.trades.filter((t) => t.orderId === id).map(tradeRow);
      },
    },
    { method: 'GET', pattern: /^\/v2\/order\/trades\/get-trades-for-day$/, cls: 'other', handle: () => exchange.trades.map(tradeRow) },
    {
      method: 'POST',
      pattern: /^\/v3\/order\/place$/,
      cls: 'orders',
      placement: true,
      handle(req) {
        const body = jsonBody(req);
        checkFields(body, PLACE_FIELDS, REQUIRED_PLACE);
        const product = enumOf(body, 'product', ['I', 'D', 'MTF']);
        const validity = enumOf(body, 'validity', ['DAY', 'IOC']) as 'DAY' | 'IOC';
        const type = enumOf(body, 'order_type', ['MARKET', 'LIMIT', 'SL', 'SL-M']) as SimOrderType;
        const side = enumOf(body, 'transaction_type', ['BUY', 'SELL']) as 'BUY' | 'SELL';
        const quantity = numberOf(body, 'quantity', true);
        const price = numberOf(body, 'price');
        const trigger = numberOf(body, 'trigger_price');
        const disclosed = numberOf(body, 'disclosed_quantity', true);
        if (typeof body.is_amo !== 'boolean') throw problem(400, 'UDAPI1006', 'Invalid is_amo', 'is_amo', body.is_amo);
        if (body.slice !== undefined && typeof body.slice !== 'boolean') throw problem(400, 'UDAPI1006', 'Invalid slice', 'slice', body.slice);
        if (body.tag !== undefined && (typeof body.tag !== 'string' || body.tag.length > 20)) throw problem(400, 'UDAPI1008', 'Invalid tag', 'tag', body.tag);
        const inst = byKey(body.instrument_token);
        if (!inst) throw problem(400, 'UDAPI1026', 'Instrument key is invalid', 'instrument_token', body.instrument_token);
        if ((type === 'MARKET' || type === 'SL-M') && price !== 0) throw problem(400, 'UDAPI1009', `price must be 0 for ${type} orders`, 'price', price);
        if ((type === 'MARKET' || type === 'LIMIT') && trigger !== 0) throw problem(400, 'UDAPI1009', `trigger_price must be 0 for ${type} orders`, 'trigger_price', trigger);
        try {
          const id = exchange.place({ symbol: inst.symbol, exchange: inst.exchange, side, type, product: product === 'I' ? 'intraday' : 'delivery', validity, quantity, price: paise(price), trigger: paise(trigger), clientRef: typeof body.tag === 'string' ? body.tag : undefined, amo: body.is_amo, disclosed });
          productById.set(id, product);
          later(() => progress(id), options.statusStepMs ?? 2);
          return { order_ids: [id] };
        } catch (err) {
          if (err instanceof SimRefusal) throw problem(400, 'UDAPI100500', err.message);
          throw err;
        }
      },
    },
    {
      method: 'PUT',
      pattern: /^\/v3\/order\/modify$/,
      cls: 'orders',
      handle(req) {
        const body = jsonBody(req);
        checkFields(body, MODIFY_FIELDS, ['order_id', 'validity', 'price', 'order_type', 'trigger_price']);
        const id = String(body.order_id);
        existing(id);
        const type = enumOf(body, 'order_type', ['MARKET', 'LIMIT', 'SL', 'SL-M']) as SimOrderType;
        enumOf(body, 'validity', ['DAY', 'IOC']);
        const change = { type, price: paise(numberOf(body, 'price')), trigger: paise(numberOf(body, 'trigger_price')), quantity: body.quantity === undefined ? undefined : numberOf(body, 'quantity', true) };
        try {
          exchange.modify(id, change);
        } catch (err) {
          if (err instanceof SimRefusal) throw problem(400, 'UDAPI100040', err.message, 'order_id', id);
          throw err;
        }
        return { order_id: id };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v3\/order\/cancel$/,
      cls: 'orders',
      handle(req) {
        const id = orderIdParam(req);
        existing(id);
        try {
          exchange.cancel(id);
        } catch (err) {
          if (err instanceof SimRefusal) throw problem(400, 'UDAPI100040', err.message, 'order_id', id);
          throw err;
        }
        return { order_id: id };
      },
    },
  ];

  const dialect: WireDialect = {
    authenticate(req) {
      const auth = String(req.headers.authorization ?? '');
      const token = /^Bearer (\S+)$/.exec(auth)?.[1];
      if (!token || !accessTokens.has(token)) throw problem(401, 'UDAPI100050', 'Invalid token used to access API');
      if (!String(req.headers.accept ?? '').includes('application/json')) throw problem(406, 'UDAPI1000', 'Accept must be application/json');
    },
    ok: (data) => ({ status: 200, body: { status: 'success', data } }),
    error(err) {
      if (err instanceof SimRefusal) return { status: err.kind === 'not_found' ? 404 : 400, body: { status: 'error', errors: [{ error_code: err.kind === 'not_found' ? 'UDAPI100010' : 'UDAPI100500', message: err.message, property_path: null, invalid_value: null }] } };
      return { status: 500, body: { status: 'error', errors: [{ error_code: 'UDAPI100500', message: `Something went wrong: ${(err as Error).message}`, property_path: null, invalid_value: null }] } };
    },
    rateLimited: () => ({ status: 429, body: { status: 'error', errors: [{ error_code: 'UDAPI10005', message: 'Too Many Request Sent', property_path: null, invalid_value: null }] } }),
    serverError: () => ({ status: 503, body: { status: 'error', errors: [{ error_code: 'UDAPI100500', message: 'Service unavailable', property_path: null, invalid_value: null }] } }),
  };

  const server = await startEmulatorServer({
    routes,
    dialect,
    limits: { orders: options.limits?.orders ?? 10, other: options.limits?.other ?? 50 },
    streamPath: '/v2/feed/portfolio-stream-feed',
    authenticateStream(req: IncomingMessage) {
      const token = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      const types = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('update_types') ?? '';
      return token !== undefined && accessTokens.has(token) && types.split(',').includes('order');
    },
    now: options.now,
  });
  const unsubscribe = exchange.onChange((o) => server.stream.send({ update_type: 'order', user_id: userId, userId, ...orderRow(o) }));

  // The instrument master, gzipped JSON on its own host.
  let downloads = 0;
  const master = createServer((req, res) => {
    if (req.url !== '/market-quote/instruments/exchange/complete.json.gz') {
      res.writeHead(404).end();
      return;
    }
    downloads++;
    const records = exchange.instruments.map((i) => ({ segment: `${i.exchange}_EQ`, name: i.name, exchange: i.exchange, isin: i.isin, instrument_type: 'EQ', instrument_key: keyOf(i), lot_size: i.lot, freeze_quantity: 100000.0, exchange_token: String(i.token), tick_size: i.tick, trading_symbol: i.symbol, short_name: i.name, security_type: 'NORMAL' }));
    records.push({ segment: 'NSE_INDEX', name: 'Nifty 50', exchange: 'NSE', isin: '', instrument_type: 'INDEX', instrument_key: 'NSE_INDEX|Nifty 50', lot_size: 0, freeze_quantity: 0, exchange_token: '26000', tick_size: 0, trading_symbol: 'NIFTY', short_name: 'Nifty 50', security_type: 'NORMAL' });
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(gzipSync(JSON.stringify(records)));
  });
  await new Promise<void>((resolve) => master.listen(0, '127.0.0.1', resolve));
  const masterUrl = `http://127.0.0.1:${(master.address() as AddressInfo).port}/market-quote/instruments/exchange/complete.json.gz`;

  const matchInterval = options.matchIntervalMs ?? 20;
  const matcher = matchInterval > 0 ? setInterval(() => exchange.match(), matchInterval) : undefined;

  return {
    url: server.url,
    wsUrl: server.wsUrl,
    loginUrl: `${server.url}/v2/login/authorization/dialog`,
    instrumentsUrl: masterUrl,
    apiKey,
    apiSecret,
    redirectUri,
    userId,
    exchange,
    server,
    accessTokens,
    issueCode() {
      const code = randomBytes(4).toString('hex');
      codes.add(code);
      return code;
    },
    expireTokens() {
      accessTokens.clear();
    },
    masterDownloads: () => downloads,
    statusOf,
    setStatus(id, word) {
      held.add(id);
      exchange.override(id, word);
    },
    async close() {
      if (matcher) clearInterval(matcher);
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      master.closeAllConnections();
      await Promise.all([server.close(), new Promise<void>((resolve) => master.close(() => resolve()))]);
    },
  };
}
