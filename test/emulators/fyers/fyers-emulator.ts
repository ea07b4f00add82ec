import { createHash, randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { type EmulatorRequest, type EmulatorRoute, type EmulatorServer, startEmulatorServer, WireError, type WireDialect } from '../exchange/emulator-server.js';
import { type SimHolding, type SimInstrument, type SimOrder, type SimOrderType, SimExchange, SimRefusal, SIM_INSTRUMENTS } from '../exchange/sim-exchange.js';

/**
 * Fyers API v3 over the shared exchange, as strict as the documentation and the official SDK let
 * us be: `Authorization: <app_id>:<token>` exactly (no scheme word), JSON bodies with only the
 * documented fields and types, numeric order types/sides/statuses, the `{s,code,message}`
 * envelope with Fyers' negative codes, one rate-limit class of 10/s, and the order socket
 * (`SUB_ORD` subscription, "ping" → "pong", exchange-level field names and `ord_status` codes).
 */
export interface FyersEmulatorOptions {
  appId?: string;
  appSecret?: string;
  pin?: string;
  userId?: string;
  cash?: number;
  holdings?: SimHolding[];
  /** The listed shares (default SIM_INSTRUMENTS), NSE and BSE only. */
  instruments?: readonly SimInstrument[];
  partialFills?: boolean;
  /** Matching pass interval; 0 = only when the test fills orders itself. */
  matchIntervalMs?: number;
  /** Calls per rolling second (Fyers publishes 10). */
  perSecond?: number;
}

export interface FyersEmulator {
  server: EmulatorServer;
  exchange: SimExchange;
  appId: string;
  appSecret: string;
  pin: string;
  userId: string;
  /** Bases as the adapter's settings take them. */
  apiUrl: string;
  dataUrl: string;
  symbolsUrl: string;
  wsUrl: string;
  /** A valid access token and the refresh token issued with it. */
  accessToken: string;
  refreshToken: string;
  /** A one-time auth code, as the login page's redirect carries it. */
  issueAuthCode(): string;
  /** Every access token stops working (the trading day ended). */
  expireSession(): void;
  /** The refresh tokens stop working too (their 15 days are over). */
  expireRefreshTokens(): void;
  /** The next `count` answers are Fyers' envelope cut short (a broken connection mid-body). */
  cutShortBodies(count: number): void;
  /** `SUB_ORD` subscriptions received on the socket. */
  subscriptions(): string[][];
  close(): Promise<void>;
}

const TICKER_SUFFIX: Record<'NSE' | 'BSE', string> = { NSE: 'EQ', BSE: 'A' };
const EXCHANGE_CODE: Record<'NSE' | 'BSE', number> = { NSE: 10, BSE: 12 };
/** Fyers lists Indian exchanges only: an emulator is never given another market's instruments. */
const indian = (exchange: string): 'NSE' | 'BSE' => {
  if (exchange !== 'NSE' && exchange !== 'BSE') throw new Error(`the Fyers emulator lists NSE and BSE, not ${exchange}`);
  return exchange;
};
export const tickerOf = (i: Pick<SimInstrument, 'exchange' | 'symbol'>): string => `${i.exchange}:${i.symbol}-${TICKER_SUFFIX[indian(i.exchange)]}`;
const fyToken = (i: SimInstrument) => `${EXCHANGE_CODE[indian(i.exchange)]}10000000${i.token}`;
const rupees = (paise: number) => Number((paise / 100).toFixed(2));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "03-Dec-2026 14:05:09" in IST. */
function fyersTime(ms: number): string {
  const d = new Date(ms + 330 * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The symbol master file of one exchange (no header row; 21 columns). */
export function symbolMasterCsv(exchange: 'NSE' | 'BSE', instruments: readonly SimInstrument[] = SIM_INSTRUMENTS): string {
  return instruments
    .filter((i) => i.exchange === exchange)
    .map((i) =>
      [fyToken(i), i.name, 0, i.lot, (i.tick / 100).toFixed(2), i.isin, '0915-1530|1815-1915:', '2026-12-03', '', tickerOf(i), EXCHANGE_CODE[indian(i.exchange)], 10, i.token, i.symbol, i.token, -1.0, 'XX', fyToken(i), 'None', 0, 0.0].join(','),
    )
    .join('\n')
    .concat('\n');
}

const ORDER_TYPE: Record<number, SimOrderType> = { 1: 'LIMIT', 2: 'MARKET', 3: 'SL-M', 4: 'SL' };
const TYPE_CODE: Record<SimOrderType, number> = { LIMIT: 1, MARKET: 2, 'SL-M': 3, SL: 4 };
const PRODUCTS = new Set(['CNC', 'INTRADAY', 'MARGIN', 'CO', 'BO', 'MTF']);
const PLACE_FIELDS: Record<string, 'string' | 'number' | 'boolean'> = {
  symbol: 'string', qty: 'number', type: 'number', side: 'number', productType: 'string', limitPrice: 'number', stopPrice: 'number',
  validity: 'string', disclosedQty: 'number', offlineOrder: 'boolean', stopLoss: 'number', takeProfit: 'number', orderTag: 'string',
};
const MODIFY_FIELDS: Record<string, 'string' | 'number'> = { id: 'string', qty: 'number', type: 'number', limitPrice: 'number', stopPrice: 'number' };

/** Book status code of an order: its phase, or the word a test put it in. */
function statusCode(o: SimOrder): number {
  if (o.statusOverride) return Number(o.statusOverride);
  return { received: 4, open: 6, trigger_pending: 6, amo: 6, complete: 2, cancelled: 1, rejected: 5 }[o.phase];
}
/** The socket's exchange-level code for each book code (the inverse of the SDK's table, one each). */
const SOCKET_CODE: Record<number, number> = { 1: 91, 2: 90, 4: 11, 5: 92, 6: 22, 7: 7 };

const fail = (status: number, code: number, message: string) => new WireError(status, { s: 'error', code, message });

export async function startFyersEmulator(options: FyersEmulatorOptions = {}): Promise<FyersEmulator> {
  const appId = options.appId ?? 'EMUAPP0001-100';
  const appSecret = options.appSecret ?? 'EMUSECRET1';
  const pin = options.pin ?? '4321';
  const userId = options.userId ?? 'XE00001';
  const exchange = new SimExchange({ instruments: options.instruments, cash: options.cash ?? 10_000_000_00, holdings: options.holdings ?? [], partialFills: options.partialFills, orderId: (n) => `2612030${String(n).padStart(7, '0')}`, tradeId: (n) => `${100000 + n}` });
  const tokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const authCodes = new Set<string>();
  const subs: string[][] = [];
  let cutShortLeft = 0;
  const newToken = () => `eyJ${randomBytes(12).toString('hex')}`;
  const accessToken = newToken();
  const refreshToken = `eyR${randomBytes(12).toString('hex')}`;
  tokens.add(accessToken);
  refreshTokens.add(refreshToken);
  const hash = createHash('sha256').update(`${appId}:${appSecret}`).digest('hex');
  const byTicker = new Map(exchange.instruments.map((i) => [tickerOf(i), i]));

  const json = (req: EmulatorRequest): Record<string, unknown> => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw fail(400, -50, 'Content-Type must be application/json');
    try {
      const body = JSON.parse(req.body) as unknown;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      return body as Record<string, unknown>;
    } catch {
      throw fail(400, -50, 'Invalid JSON body');
    }
  };
  const strictFields = (body: Record<string, unknown>, fields: Record<string, string>) => {
    for (const [k, v] of Object.entries(body)) {
      if (!(k in fields)) throw fail(400, -50, `Invalid input: unknown field ${k}`);
      if (typeof v !== fields[k]) throw fail(400, -50, `Invalid input: ${k} must be a ${fields[k]}`);
    }
  };
  const paise = (rupeeValue: unknown, field: string): number => {
    const p = Math.round(Number(rupeeValue) * 100);
    if (!Number.isFinite(p) || Math.abs(p - Number(rupeeValue) * 100) > 1e-6) throw fail(400, -50, `Invalid ${field}`);
    return p;
  };

  const bookOrder = (o: SimOrder) => {
    const inst = exchange.instrument(o.exchange, o.symbol)!;
    const status = statusCode(o);
    return {
      clientId: userId, id: o.id, exchOrdId: o.exchangeOrderId ?? '', qty: o.quantity, remainingQuantity: o.quantity - o.filled - o.cancelled,
      filledQty: o.filled, discloseQty: o.disclosed ?? 0, limitPrice: rupees(o.price), stopPrice: rupees(o.trigger),
      tradedPrice: o.filled ? Number((o.filledValue / o.filled / 100).toFixed(4)) : 0, type: TYPE_CODE[o.type], fyToken: fyToken(inst),
      exchange: EXCHANGE_CODE[indian(o.exchange)], segment: 10, symbol: tickerOf(o), instrument: 0, message: o.message ?? '', offlineOrder: o.amo === true,
      orderDateTime: fyersTime(o.updatedAt), orderValidity: o.validity, pan: '', productType: o.product === 'delivery' ? 'CNC' : 'INTRADAY',
      side: o.side === 'BUY' ? 1 : -1, status, source: 'API', ex_sym: o.symbol, description: inst.name, orderNumStatus: `${o.id}:${status}`, orderTag: o.clientRef ?? '',
    };
  };
  const socketOrder = (o: SimOrder) => {
    const b = bookOrder(o);
    return {
      client_id: userId, id: b.id, id_exchange: b.exchOrdId, qty: b.qty, qty_remaining: b.remainingQuantity, qty_filled: b.filledQty, price_limit: b.limitPrice,
      price_stop: b.stopPrice, price_traded: b.tradedPrice, ord_type: b.type, fy_token: b.fyToken, exchange: b.exchange, segment: b.segment, symbol: b.symbol,
      instrument: 0, oms_msg: b.message, offline_flag: b.offlineOrder, time_oms: b.orderDateTime, validity: b.orderValidity, product_type: b.productType,
      tran_side: b.side, ord_status: SOCKET_CODE[b.status] ?? b.status, ord_source: 'API', symbol_exch: b.ex_sym, symbol_desc: b.description, ordertag: b.orderTag,
    };
  };
  const tradeRow = (t: SimExchange['trades'][number]) => ({
    clientId: userId, orderDateTime: fyersTime(t.at), orderNumber: t.orderId, exchangeOrderNo: exchange.order(t.orderId)?.exchangeOrderId ?? '',
    exchange: EXCHANGE_CODE[indian(t.exchange)], side: t.side === 'BUY' ? 1 : -1, segment: 10, orderType: TYPE_CODE[exchange.order(t.orderId)?.type ?? 'MARKET'],
    fyToken: fyToken(exchange.instrument(t.exchange, t.symbol)!), productType: t.product === 'delivery' ? 'CNC' : 'INTRADAY', tradedQty: t.quantity,
    tradePrice: rupees(t.price), tradeValue: rupees(t.price * t.quantity), tradeNumber: t.id, row: 0, symbol: tickerOf(t), orderTag: t.clientRef ?? '',
  });
  const live = (id: unknown): SimOrder => {
    const o = typeof id === 'string' ? exchange.order(id) : undefined;
    if (!o) throw fail(400, -51, 'Invalid order id');
    return o;
  };

  const api = '/api/v3';
  const routes: EmulatorRoute[] = [
    {
      method: 'POST', pattern: new RegExp(`^${api}/validate-authcode$`), cls: 'api', anonymous: true,
      handle: (req) => {
        const b = json(req);
        if (b.grant_type !== 'authorization_code') throw fail(400, -50, 'Invalid grant_type');
        if (b.appIdHash !== hash) throw fail(401, -16, 'Could not authenticate the user: invalid app id hash');
        if (typeof b.code !== 'string' || !authCodes.delete(b.code)) throw fail(401, -16, 'Invalid auth code');
        const token = newToken();
        const refresh = `eyR${randomBytes(12).toString('hex')}`;
        tokens.add(token);
        refreshTokens.add(refresh);
        return { access_token: token, refresh_token: refresh };
      },
    },
    {
      method: 'POST', pattern: new RegExp(`^${api}/validate-refresh-token$`), cls: 'api', anonymous: true,
      handle: (req) => {
        const b = json(req);
        strictFields(b, { grant_type: 'string', appIdHash: 'string', refresh_token: 'string', pin: 'string' });
        if (b.grant_type !== 'refresh_token') throw fail(400, -50, 'Invalid grant_type');
        if (b.appIdHash !== hash) throw fail(401, -16, 'Could not authenticate the user: invalid app id hash');
        if (!refreshTokens.has(String(b.refresh_token))) throw fail(401, -15, 'Refresh token is expired or invalid');
        if (b.pin !== pin) throw fail(401, -16, 'Invalid pin');
        const token = newToken();
        tokens.add(token);
        return { access_token: token };
      },
    },
    { method: 'POST', pattern: new RegExp(`^${api}/logout$`), cls: 'api', handle: (req) => void tokens.delete(String(req.headers.authorization).slice(appId.length + 1)) },
    { method: 'GET', pattern: new RegExp(`^${api}/profile$`), cls: 'api', handle: () => ({ data: { fy_id: userId, name: 'EMULATED USER', email_id: 'user@example.com', display_name: 'EMU' } }) },
    {
      method: 'GET', pattern: new RegExp(`^${api}/funds$`), cls: 'api',
      handle: () => {
        const blocked = exchange.blockedCash();
        const lines: [number, string, number][] = [
          [1, 'Total Balance', exchange.cash], [2, 'Utilized Amount', blocked], [3, 'Clear Balance', exchange.cash - blocked], [4, 'Realized Profit and Loss', 0],
          [5, 'Collaterals', 0], [6, 'Fund Transfer', 0], [7, 'Receivables', 0], [8, 'Adhoc Limit', 0], [9, 'Limit at start of the day', exchange.cash], [10, 'Available Balance', exchange.cash - blocked],
        ];
        return { fund_limit: lines.map(([id, title, p]) => ({ id, title, equityAmount: rupees(p), commodityAmount: 0 })) };
      },
    },
    {
      method: 'GET', pattern: new RegExp(`^${api}/holdings$`), cls: 'api',
      handle: () => {
        const rows = exchange.holdings.flatMap((h) => {
          const inst = exchange.instrument(h.exchange, h.symbol)!;
          const base = { fyToken: fyToken(inst), exchange: EXCHANGE_CODE[indian(h.exchange)], segment: 10, symbol: tickerOf(h), isin: inst.isin, costPrice: rupees(h.averagePrice), ltp: rupees(inst.last), remainingPledgeQuantity: 0, collateralQuantity: 0 };
          const out = [];
          if (h.quantity > 0) out.push({ ...base, id: inst.token, holdingType: 'HLD', quantity: h.quantity, remainingQuantity: h.quantity - exchange.usedQuantity(h), qty_t1: 0 });
          if (h.t1Quantity > 0) out.push({ ...base, id: inst.token + 1, holdingType: 'T1', quantity: h.t1Quantity, remainingQuantity: h.t1Quantity, qty_t1: h.t1Quantity });
          return out;
        });
        return { overall: { count_total: rows.length }, holdings: rows };
      },
    },
    {
      method: 'GET', pattern: new RegExp(`^${api}/positions$`), cls: 'api',
      handle: () => ({
        netPositions: exchange.dayPositions().map((p) => ({
          symbol: tickerOf(p), id: `${tickerOf(p)}-${p.product === 'delivery' ? 'CNC' : 'INTRADAY'}`, productType: p.product === 'delivery' ? 'CNC' : 'INTRADAY',
          buyQty: p.buyQuantity, buyAvg: p.buyQuantity ? rupees(p.buyValue / p.buyQuantity) : 0, sellQty: p.sellQuantity, sellAvg: p.sellQuantity ? rupees(p.sellValue / p.sellQuantity) : 0,
          netQty: p.quantity, netAvg: 0, dayBuyQty: p.buyQuantity, daySellQty: p.sellQuantity, cfBuyQty: 0, cfSellQty: 0, side: Math.sign(p.quantity), qty: Math.abs(p.quantity),
          exchange: EXCHANGE_CODE[indian(p.exchange)], segment: 10,
        })),
        overall: {},
      }),
    },
    {
      method: 'GET', pattern: new RegExp(`^${api}/orders$`), cls: 'api',
      handle: (req) => {
        const id = req.query.get('id');
        const all = exchange.orders().map(bookOrder);
        return { orderBook: id === null ? all : all.filter((o) => o.id === id) };
      },
    },
    { method: 'GET', pattern: new RegExp(`^${api}/tradebook$`), cls: 'api', handle: () => ({ tradeBook: exchange.trades.map(tradeRow) }) },
    {
      method: 'POST', pattern: new RegExp(`^${api}/orders/sync$`), cls: 'api', placement: true,
      handle: (req) => {
        const b = json(req);
        strictFields(b, PLACE_FIELDS);
        for (const k of ['symbol', 'qty', 'type', 'side', 'productType', 'validity']) if (!(k in b)) throw fail(400, -50, `Invalid input: ${k} is required`);
        const inst = byTicker.get(String(b.symbol));
        if (!inst) throw fail(400, -300, 'Please provide a valid symbol');
        const type = ORDER_TYPE[Number(b.type)];
        if (!type) throw fail(400, -50, 'Invalid order type');
        if (b.side !== 1 && b.side !== -1) throw fail(400, -50, 'Invalid side');
        if (!PRODUCTS.has(String(b.productType))) throw fail(400, -50, 'Invalid productType');
        if (b.productType !== 'CNC' && b.productType !== 'INTRADAY') throw fail(400, -99, `productType ${String(b.productType)} is not enabled for this account`);
        if (b.validity !== 'DAY' && b.validity !== 'IOC') throw fail(400, -50, 'Invalid validity');
        if (b.orderTag !== undefined && !/^[A-Za-z0-9]{1,20}$/.test(String(b.orderTag))) throw fail(400, -50, 'Invalid orderTag');
        const limit = paise(b.limitPrice ?? 0, 'limitPrice');
        const stop = paise(b.stopPrice ?? 0, 'stopPrice');
        if ((type === 'LIMIT' || type === 'SL') && limit <= 0) throw fail(400, -50, 'limitPrice is required for this order type');
        if ((type === 'SL' || type === 'SL-M') && stop <= 0) throw fail(400, -50, 'stopPrice is required for this order type');
        const id = exchange.place({
          symbol: inst.symbol, exchange: inst.exchange, side: b.side === 1 ? 'BUY' : 'SELL', type, product: b.productType === 'CNC' ? 'delivery' : 'intraday',
          validity: b.validity, quantity: Number(b.qty), price: type === 'LIMIT' || type === 'SL' ? limit : 0, trigger: type === 'SL' || type === 'SL-M' ? stop : 0,
          clientRef: b.orderTag === undefined ? undefined : String(b.orderTag), amo: b.offlineOrder === true, disclosed: Number(b.disclosedQty ?? 0),
        });
        exchange.accept(id);
        return { code: 1101, message: 'Order submitted successfully', id };
      },
    },
    {
      method: 'PATCH', pattern: new RegExp(`^${api}/orders/sync$`), cls: 'api',
      handle: (req) => {
        const b = json(req);
        strictFields(b, MODIFY_FIELDS);
        const o = live(b.id);
        const type = b.type === undefined ? undefined : ORDER_TYPE[Number(b.type)];
        if (b.type !== undefined && !type) throw fail(400, -50, 'Invalid order type');
        exchange.modify(o.id, { quantity: b.qty as number | undefined, price: b.limitPrice === undefined ? undefined : paise(b.limitPrice, 'limitPrice'), trigger: b.stopPrice === undefined ? undefined : paise(b.stopPrice, 'stopPrice'), type });
        return { code: 1102, message: 'Successfully modified order', id: o.id };
      },
    },
    {
      method: 'DELETE', pattern: new RegExp(`^${api}/orders/sync$`), cls: 'api',
      handle: (req) => {
        const b = json(req);
        strictFields(b, { id: 'string' });
        const o = live(b.id);
        exchange.cancel(o.id);
        return { code: 1103, message: 'Successfully cancelled order', id: o.id };
      },
    },
    {
      method: 'GET', pattern: /^\/data\/quotes$/, cls: 'api',
      handle: (req) => {
        const symbols = (req.query.get('symbols') ?? '').split(',').filter(Boolean);
        if (symbols.length === 0 || symbols.length > 50) throw fail(400, -50, 'Provide 1 to 50 symbols');
        return {
          d: symbols.map((n) => {
            const i = byTicker.get(n);
            if (!i) return { n, s: 'error', v: { errmsg: 'invalid symbol' } };
            return { n, s: 'ok', v: { lp: rupees(i.last), bid: rupees(i.bid), ask: rupees(i.ask), volume: i.volume, prev_close_price: rupees(i.close), short_name: i.symbol, exchange: i.exchange, fyToken: fyToken(i), symbol: n } };
          }),
        };
      },
    },
    { method: 'GET', pattern: /^\/sym_details\/(NSE|BSE)_CM\.csv$/, cls: 'files', anonymous: true, handle: (_req, m) => symbolMasterCsv(m[1] as 'NSE' | 'BSE', exchange.instruments) },
  ];

  const dialect: WireDialect = {
    authenticate(req, route) {
      if (route.cls === 'files') return;
      const header = req.headers.authorization;
      if (typeof header !== 'string' || !header.startsWith(`${appId}:`)) throw fail(401, -16, 'Could not authenticate the user: Authorization must be <app_id>:<access_token>');
      if (!tokens.has(header.slice(appId.length + 1))) throw fail(401, -8, 'Your token has expired. Please generate a token');
      if ((req.method === 'POST' || req.method === 'PATCH' || req.method === 'DELETE') && !String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        throw fail(400, -50, 'Content-Type must be application/json');
      }
    },
    ok: (data) => {
      if (typeof data === 'string') return { status: 200, body: data };
      const body = { s: 'ok', code: 200, message: '', ...(data as object) };
      if (cutShortLeft > 0) {
        cutShortLeft--;
        return { status: 200, body: JSON.stringify(body).slice(0, 30) };
      }
      return { status: 200, body };
    },
    error(err) {
      if (err instanceof SimRefusal) {
        if (err.kind === 'not_found') return { status: 400, body: { s: 'error', code: -51, message: err.message } };
        if (err.kind === 'not_live') return { status: 400, body: { s: 'error', code: -52, message: err.message } };
        return { status: 400, body: { s: 'error', code: -50, message: err.message } };
      }
      return { status: 500, body: { s: 'error', code: -1, message: String(err) } };
    },
    rateLimited: () => ({ status: 429, body: { s: 'error', code: -429, message: 'request limit reached' } }),
    serverError: () => ({ status: 503, body: { s: 'error', code: 503, message: 'Service Unavailable' } }),
  };

  const server = await startEmulatorServer({
    routes,
    dialect,
    limits: { api: options.perSecond ?? 10 },
    streamPath: '/trade/v3',
    authenticateStream: (req) => {
      const header = req.headers.authorization;
      return typeof header === 'string' && header.startsWith(`${appId}:`) && tokens.has(header.slice(appId.length + 1));
    },
  });
  // The shared hub knows nothing of Fyers' client frames: each new socket is taught them here.
  const clients = server.stream.clients;
  const add = clients.add.bind(clients);
  clients.add = (ws: WebSocket) => {
    ws.on('message', (data) => {
      const text = String(data);
      if (text === 'ping') return ws.send('pong');
      try {
        const m = JSON.parse(text) as { T?: string; SLIST?: string[]; SUB_T?: number };
        if (m.T === 'SUB_ORD' && Array.isArray(m.SLIST) && m.SUB_T === 1) subs.push(m.SLIST);
        else ws.send(JSON.stringify({ s: 'error', code: -50, message: 'invalid subscription' }));
      } catch {
        ws.send(JSON.stringify({ s: 'error', code: -50, message: 'invalid message' }));
      }
    });
    return add(ws);
  };
  exchange.onChange((o, change) => {
    server.stream.send({ orders: socketOrder(o), s: 'ok' });
    if (change === 'fill') {
      const t = exchange.trades.filter((x) => x.orderId === o.id).at(-1);
      if (t) server.stream.send({ trades: { id_fill: t.id, id: t.orderId, qty_traded: t.quantity, price_traded: rupees(t.price), tran_side: t.side === 'BUY' ? 1 : -1, symbol: tickerOf(t), fill_time: fyersTime(t.at), ordertag: t.clientRef ?? '' }, s: 'ok' });
    }
  });
  const matcher = options.matchIntervalMs ? setInterval(() => exchange.match(), options.matchIntervalMs) : undefined;

  return {
    server,
    exchange,
    appId,
    appSecret,
    pin,
    userId,
    apiUrl: `${server.url}${api}`,
    dataUrl: `${server.url}/data`,
    symbolsUrl: `${server.url}/sym_details`,
    wsUrl: server.wsUrl,
    accessToken,
    refreshToken,
    issueAuthCode() {
      const code = `eyA${randomBytes(16).toString('hex')}`;
      authCodes.add(code);
      return code;
    },
    expireSession: () => tokens.clear(),
    expireRefreshTokens: () => refreshTokens.clear(),
    subscriptions: () => subs,
    cutShortBodies: (count) => {
      cutShortLeft = count;
    },
    async close() {
      if (matcher) clearInterval(matcher);
      await server.close();
    },
  };
}
