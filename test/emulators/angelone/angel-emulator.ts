import type { IncomingMessage } from 'node:http';
import { totp } from '../../../src/brokers/angelone/totp.js';
import { formatAngelTime } from '../../../src/brokers/angelone/mapping.js';
import { ANGEL_PATHS } from '../../../src/brokers/angelone/wire.js';
import { type EmulatorRequest, type EmulatorRoute, type EmulatorServer, startEmulatorServer, WireError, type WireDialect } from '../exchange/emulator-server.js';
import { type SimExchangeOptions, SimExchange, type SimOrder, type SimOrderType, SimRefusal } from '../exchange/sim-exchange.js';

/**
 * A strict emulator of Angel One SmartAPI over the shared SimExchange: the headers every call
 * must carry, JSON bodies whose numbers are strings, the `{status, message, errorcode, data}`
 * envelope (and the gateway's `{success, errorCode}` for token errors), client code + PIN + TOTP
 * login checked against a TOTP secret, refresh tokens, the lower-case status words, the
 * `ordertag` limit, per-class rate limits, and the kit's faults.
 */
export interface AngelEmulatorOptions extends SimExchangeOptions {
  apiKey?: string;
  clientCode?: string;
  pin?: string;
  /** Base32; the login accepts the code of the current 30-second step and the one before. */
  totpSecret?: string;
  /** A JWT that is already valid (tests that skip the login); null for none. */
  jwt?: string | null;
  /** Matching pass interval; 0 = only when the test fills orders. */
  matchIntervalMs?: number;
  /** Calls per second per class (SmartAPI's published limits by default). */
  limits?: Record<string, number>;
}

export const ANGEL_EMULATOR_DEFAULTS = {
  apiKey: 'smartapikey01',
  clientCode: 'A123456',
  pin: '4321',
  totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  jwt: 'emujwt0001',
} as const;

const MASTER_PATH = '/OpenAPI_File/files/OpenAPIScripMaster.json';

const PHASE_WORD: Record<SimOrder['phase'], string> = {
  received: 'put order req received',
  open: 'open',
  trigger_pending: 'trigger pending',
  complete: 'complete',
  cancelled: 'cancelled',
  rejected: 'rejected',
  amo: 'after market order req received',
};

const TYPE_TO_SIM: Record<string, SimOrderType> = { MARKET: 'MARKET', LIMIT: 'LIMIT', STOPLOSS_LIMIT: 'SL', STOPLOSS_MARKET: 'SL-M' };
const TYPE_FROM_SIM: Record<SimOrderType, string> = { MARKET: 'MARKET', LIMIT: 'LIMIT', SL: 'STOPLOSS_LIMIT', 'SL-M': 'STOPLOSS_MARKET' };

export interface AngelEmulator {
  url: string;
  /** Where the instrument master is served (PTEXEC_ANGELONE_INSTRUMENTS_URL). */
  masterUrl: string;
  server: EmulatorServer;
  exchange: SimExchange;
  options: Required<Pick<AngelEmulatorOptions, 'apiKey' | 'clientCode' | 'pin' | 'totpSecret'>>;
  jwts: Set<string>;
  refreshTokens: Set<string>;
  /** Every JWT stops working (SmartAPI's midnight). */
  expireSessions(): void;
  /** The TOTP code the emulator accepts now. */
  currentTotp(): string;
  close(): Promise<void>;
}

const fail = (message: string, errorcode: string, status = 200) => new WireError(status, { status: false, message, errorcode, data: null });

export async function startAngelEmulator(options: AngelEmulatorOptions = {}): Promise<AngelEmulator> {
  const opts = {
    apiKey: options.apiKey ?? ANGEL_EMULATOR_DEFAULTS.apiKey,
    clientCode: options.clientCode ?? ANGEL_EMULATOR_DEFAULTS.clientCode,
    pin: options.pin ?? ANGEL_EMULATOR_DEFAULTS.pin,
    totpSecret: options.totpSecret ?? ANGEL_EMULATOR_DEFAULTS.totpSecret,
  };
  const now = options.now ?? Date.now;
  const exchange = new SimExchange({ ...options, orderId: options.orderId ?? ((n) => `${251203000000000 + n}`) });
  const jwts = new Set<string>();
  const refreshTokens = new Set<string>();
  const initialJwt = options.jwt === undefined ? ANGEL_EMULATOR_DEFAULTS.jwt : options.jwt;
  if (initialJwt) jwts.add(initialJwt);
  const uniqueIds = new Map<string, string>();
  let sessionSeq = 0;

  const issue = () => {
    sessionSeq++;
    const jwt = `eyJemu.${sessionSeq}.${now()}`;
    const refresh = `refresh.${sessionSeq}`;
    jwts.add(jwt);
    refreshTokens.add(refresh);
    // SmartAPI's login answer carries the JWT with its scheme.
    return { jwtToken: `Bearer ${jwt}`, refreshToken: refresh, feedToken: `feed${sessionSeq}` };
  };

  const json = (req: EmulatorRequest): Record<string, unknown> => {
    if (req.method !== 'POST') return {};
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      throw fail('Invalid request body', 'AB2000', 400);
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw fail('Invalid request body', 'AB2000', 400);
    return body as Record<string, unknown>;
  };
  /** A field SmartAPI takes as a string; a JSON number is refused as its backend would. */
  const text = (body: Record<string, unknown>, field: string, required = true): string | undefined => {
    const v = body[field];
    if (v === undefined || v === null || v === '') {
      if (required) throw fail(`${field} is required`, 'AB1007');
      return undefined;
    }
    if (typeof v !== 'string') throw fail(`${field} must be a string`, 'AB1007');
    return v;
  };
  const paise = (value: string | undefined, field: string): number => {
    if (value === undefined) return 0;
    if (!/^\d+(\.\d+)?$/.test(value)) throw fail(`Invalid ${field}`, 'AB1007');
    return Math.round(Number(value) * 100);
  };
  const tradingSymbol = (o: { exchange: string; symbol: string }) => (o.exchange === 'NSE' ? `${o.symbol}-EQ` : o.symbol);
  const instrumentOf = (exchangeName: string, tsym: string, token?: string) => {
    const symbol = exchangeName === 'NSE' ? (tsym.endsWith('-EQ') ? tsym.slice(0, -3) : undefined) : tsym;
    const inst = symbol ? exchange.instrument(exchangeName, symbol) : undefined;
    if (!inst) throw fail('Invalid tradingsymbol', 'AB1009');
    if (token !== undefined && String(inst.token) !== token) throw fail('Invalid symboltoken', 'AB4006');
    return inst;
  };
  const rupees = (p: number) => (p / 100).toFixed(2);

  const orderRow = (o: SimOrder) => ({
    variety: o.amo ? 'AMO' : o.type === 'SL' || o.type === 'SL-M' ? 'STOPLOSS' : 'NORMAL',
    ordertype: TYPE_FROM_SIM[o.type],
    producttype: o.product === 'delivery' ? 'DELIVERY' : 'INTRADAY',
    duration: o.validity,
    price: o.price / 100,
    triggerprice: o.trigger / 100,
    quantity: String(o.quantity),
    disclosedquantity: String(o.disclosed ?? 0),
    squareoff: 0,
    stoploss: 0,
    trailingstoploss: 0,
    tradingsymbol: tradingSymbol(o),
    transactiontype: o.side,
    exchange: o.exchange,
    symboltoken: String(exchange.instrument(o.exchange, o.symbol)!.token),
    ordertag: o.clientRef ?? '',
    instrumenttype: '',
    lotsize: '1',
    cancelsize: String(o.cancelled),
    averageprice: exchange.averagePrice(o) / 100,
    filledshares: String(o.filled),
    unfilledshares: String(o.quantity - o.filled),
    orderid: o.id,
    text: o.message ?? '',
    status: o.statusOverride ?? PHASE_WORD[o.phase],
    orderstatus: o.statusOverride ?? PHASE_WORD[o.phase],
    updatetime: formatAngelTime(o.updatedAt),
    exchtime: o.exchangeOrderId ? formatAngelTime(o.updatedAt) : '',
    exchorderupdatetime: o.exchangeOrderId ? formatAngelTime(o.updatedAt) : '',
    fillid: '',
    filltime: '',
    parentorderid: '',
    uniqueorderid: uniqueIds.get(o.id) ?? '',
  });

  const refusal = (err: unknown): WireError | undefined => {
    if (!(err instanceof SimRefusal)) return undefined;
    if (err.kind === 'not_found') return fail('Order not found', 'AB1013');
    return fail(err.message, 'AB1007');
  };
  const guarded = <T>(work: () => T): T => {
    try {
      return work();
    } catch (err) {
      throw refusal(err) ?? err;
    }
  };

  const routes: EmulatorRoute[] = [
    {
      method: 'POST',
      pattern: new RegExp(`^${ANGEL_PATHS.login}$`),
      cls: 'session',
      anonymous: true,
      handle(req) {
        checkHeaders(req, opts.apiKey, false);
        const body = json(req);
        const [clientcode, password, code] = [text(body, 'clientcode'), text(body, 'password'), text(body, 'totp')];
        if (clientcode !== opts.clientCode || password !== opts.pin) throw fail('Invalid clientcode or password', 'AB1007');
        const step = 30_000;
        const valid = [totp(opts.totpSecret, now()), totp(opts.totpSecret, now() - step)];
        if (!valid.includes(code!)) throw fail('Invalid totp', 'AB1050');
        return issue();
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${ANGEL_PATHS.generateTokens}$`),
      cls: 'session',
      anonymous: true,
      handle(req) {
        checkHeaders(req, opts.apiKey, false);
        const refresh = text(json(req), 'refreshToken')!;
        if (!refreshTokens.has(refresh)) throw fail('Invalid Refresh Token', 'AB8050');
        refreshTokens.delete(refresh);
        return issue();
      },
    },
    { method: 'GET', pattern: new RegExp(`^${ANGEL_PATHS.profile}$`), cls: 'profile', handle: () => ({ clientcode: opts.clientCode, name: 'EMULATED CLIENT', exchanges: ['NSE', 'BSE'], products: ['DELIVERY', 'INTRADAY', 'MARGIN'] }) },
    {
      method: 'POST',
      pattern: new RegExp(`^${ANGEL_PATHS.logout}$`),
      cls: 'session',
      handle(req) {
        if (text(json(req), 'clientcode') !== opts.clientCode) throw fail('Invalid clientcode', 'AB1007');
        jwts.delete(bearer(req)!);
        return null;
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${ANGEL_PATHS.placeOrder}$`),
      cls: 'orders',
      placement: true,
      handle(req) {
        const body = json(req);
        const variety = text(body, 'variety')!;
        const ordertype = text(body, 'ordertype')!;
        const exchangeName = text(body, 'exchange')!;
        if (!['NORMAL', 'STOPLOSS', 'AMO', 'ROBO'].includes(variety)) throw fail('Invalid Order Variety', 'AB1008');
        if (variety === 'ROBO') throw fail('ROBO order is blocked', 'AB2002');
        if (!TYPE_TO_SIM[ordertype]) throw fail('Invalid Order Type', 'AB1007');
        const stop = ordertype.startsWith('STOPLOSS');
        if (variety === 'STOPLOSS' ? !stop : variety === 'NORMAL' && stop) throw fail(`ordertype ${ordertype} does not go with variety ${variety}`, 'AB1007');
        if (!['NSE', 'BSE'].includes(exchangeName)) throw fail('Invalid exchange', 'AB1007');
        const producttype = text(body, 'producttype')!;
        if (!['DELIVERY', 'INTRADAY', 'MARGIN', 'CARRYFORWARD', 'BO'].includes(producttype)) throw fail('Invalid Product Type', 'AB1012');
        const duration = text(body, 'duration')!;
        if (duration !== 'DAY' && duration !== 'IOC') throw fail('Invalid duration', 'AB1007');
        const side = text(body, 'transactiontype')!;
        if (side !== 'BUY' && side !== 'SELL') throw fail('Invalid transactiontype', 'AB1007');
        const quantity = text(body, 'quantity')!;
        if (!/^\d+$/.test(quantity)) throw fail('Invalid quantity', 'AB1007');
        const tag = text(body, 'ordertag', false);
        if (tag !== undefined && tag.length > 20) throw fail('Ordertag length should not exceed 20 characters', 'AB4008');
        const inst = instrumentOf(exchangeName, text(body, 'tradingsymbol')!, text(body, 'symboltoken')!);
        const price = paise(text(body, 'price', ordertype === 'LIMIT' || ordertype === 'STOPLOSS_LIMIT'), 'price');
        const trigger = paise(text(body, 'triggerprice', stop), 'triggerprice');
        for (const extra of ['squareoff', 'stoploss', 'disclosedquantity']) text(body, extra, false);
        const disclosed = body.disclosedquantity === undefined ? undefined : Number(body.disclosedquantity);
        const id = guarded(() =>
          exchange.place({
            symbol: inst.symbol,
            exchange: inst.exchange,
            side,
            type: TYPE_TO_SIM[ordertype]!,
            product: producttype === 'INTRADAY' ? 'intraday' : 'delivery',
            validity: duration,
            quantity: Number(quantity),
            price: ordertype === 'LIMIT' || ordertype === 'STOPLOSS_LIMIT' ? price : 0,
            trigger: stop ? trigger : 0,
            clientRef: tag,
            amo: variety === 'AMO',
            disclosed: disclosed || undefined,
          }),
        );
        const unique = `uniq-${id.slice(-6)}-${tradingSymbol(inst)}`;
        uniqueIds.set(id, unique);
        exchange.accept(id);
        return { script: tradingSymbol(inst), orderid: id, uniqueorderid: unique };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${ANGEL_PATHS.modifyOrder}$`),
      cls: 'orders',
      handle(req) {
        const body = json(req);
        const id = text(body, 'orderid')!;
        const current = exchange.order(id);
        if (!current) throw fail('Order not found', 'AB1013');
        for (const f of ['variety', 'ordertype', 'producttype', 'duration', 'price', 'quantity', 'tradingsymbol', 'symboltoken', 'exchange']) text(body, f, f !== 'price' || body.ordertype === 'LIMIT' || body.ordertype === 'STOPLOSS_LIMIT');
        const ordertype = text(body, 'ordertype')!;
        if (!TYPE_TO_SIM[ordertype]) throw fail('Invalid Order Type', 'AB1007');
        instrumentOf(text(body, 'exchange')!, text(body, 'tradingsymbol')!, text(body, 'symboltoken')!);
        const quantity = text(body, 'quantity')!;
        if (!/^\d+$/.test(quantity)) throw fail('Invalid quantity', 'AB1007');
        const trigger = text(body, 'triggerprice', false);
        guarded(() =>
          exchange.modify(id, {
            quantity: Number(quantity),
            price: ordertype === 'LIMIT' || ordertype === 'STOPLOSS_LIMIT' ? paise(text(body, 'price'), 'price') : 0,
            trigger: trigger === undefined ? undefined : paise(trigger, 'triggerprice'),
            type: TYPE_TO_SIM[ordertype],
          }),
        );
        return { orderid: id, uniqueorderid: uniqueIds.get(id) ?? '' };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${ANGEL_PATHS.cancelOrder}$`),
      cls: 'orders',
      handle(req) {
        const body = json(req);
        const variety = text(body, 'variety')!;
        if (!['NORMAL', 'STOPLOSS', 'AMO', 'ROBO'].includes(variety)) throw fail('Invalid Order Variety', 'AB1008');
        const id = text(body, 'orderid')!;
        guarded(() => exchange.cancel(id));
        return { orderid: id, uniqueorderid: uniqueIds.get(id) ?? '' };
      },
    },
    { method: 'GET', pattern: new RegExp(`^${ANGEL_PATHS.orderBook}$`), cls: 'orderBook', handle: () => (exchange.orders().length ? exchange.orders().map(orderRow) : null) },
    {
      method: 'GET',
      pattern: new RegExp(`^${ANGEL_PATHS.orderDetails}/([^/]+)$`),
      cls: 'details',
      handle(_req, match) {
        const unique = decodeURIComponent(match[1]!);
        const id = [...uniqueIds].find(([, u]) => u === unique)?.[0];
        const o = id ? exchange.order(id) : undefined;
        if (!o) throw fail('Order not found', 'AB1013');
        return orderRow(o);
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${ANGEL_PATHS.tradeBook}$`),
      cls: 'tradeBook',
      handle: () =>
        exchange.trades.length === 0
          ? null
          : exchange.trades.map((t) => ({
              exchange: t.exchange,
              producttype: t.product === 'delivery' ? 'DELIVERY' : 'INTRADAY',
              tradingsymbol: tradingSymbol(t),
              instrumenttype: '',
              symbolgroup: 'EQ',
              strikeprice: '-1',
              optiontype: '',
              expirydate: '',
              marketlot: '1',
              precision: '2',
              multiplier: '-1',
              tradevalue: (t.quantity * t.price) / 100,
              transactiontype: t.side,
              fillprice: t.price / 100,
              fillsize: String(t.quantity),
              orderid: t.orderId,
              fillid: t.id,
              filltime: formatAngelTime(t.at).slice(12),
            })),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${ANGEL_PATHS.holdings}$`),
      cls: 'holdings',
      handle: () =>
        exchange.holdings.map((h) => {
          const inst = exchange.instrument(h.exchange, h.symbol)!;
          return {
            tradingsymbol: tradingSymbol(h),
            exchange: h.exchange,
            isin: inst.isin,
            t1quantity: h.t1Quantity,
            realisedquantity: h.quantity,
            quantity: h.quantity,
            authorisedquantity: 0,
            product: 'DELIVERY',
            collateralquantity: null,
            collateraltype: null,
            haircut: 0,
            averageprice: h.averagePrice / 100,
            ltp: inst.last / 100,
            symboltoken: String(inst.token),
            close: inst.close / 100,
            profitandloss: 0,
            pnlpercentage: 0,
          };
        }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${ANGEL_PATHS.positions}$`),
      cls: 'positions',
      handle: () => {
        const rows = exchange.dayPositions();
        return rows.length === 0
          ? null
          : rows.map((p) => ({
              exchange: p.exchange,
              symboltoken: String(exchange.instrument(p.exchange, p.symbol)!.token),
              producttype: p.product === 'delivery' ? 'DELIVERY' : 'INTRADAY',
              tradingsymbol: tradingSymbol(p),
              symbolname: p.symbol,
              instrumenttype: '',
              buyqty: String(p.buyQuantity),
              sellqty: String(p.sellQuantity),
              buyamount: rupees(p.buyValue),
              sellamount: rupees(p.sellValue),
              netqty: String(p.quantity),
              cfbuyqty: '0',
              cfsellqty: '0',
              buyavgprice: p.buyQuantity ? rupees(p.buyValue / p.buyQuantity) : '0.00',
              sellavgprice: p.sellQuantity ? rupees(p.sellValue / p.sellQuantity) : '0.00',
            }));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${ANGEL_PATHS.rms}$`),
      cls: 'rms',
      handle: () => {
        const available = exchange.cash - exchange.blockedCash();
        return {
          net: `${rupees(available)}00`,
          availablecash: `${rupees(available)}00`,
          availableintradaypayin: '0.0000',
          availablelimitmargin: '0.0000',
          collateral: '0.0000',
          m2munrealized: '0.0000',
          m2mrealized: '0.0000',
          utiliseddebits: `${rupees(exchange.blockedCash())}00`,
          utilisedspan: null,
          utilisedoptionpremium: null,
          utilisedholdingsales: null,
          utilisedexposure: null,
          utilisedturnover: null,
          utilisedpayout: '0.0000',
        };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${ANGEL_PATHS.quote}$`),
      cls: 'quote',
      handle(req) {
        const body = json(req);
        if (body.mode !== 'FULL' && body.mode !== 'LTP' && body.mode !== 'OHLC') throw fail('Invalid mode', 'AB1007');
        const tokens = body.exchangeTokens as Record<string, unknown> | undefined;
        if (!tokens || typeof tokens !== 'object') throw fail('exchangeTokens is required', 'AB1007');
        const fetched: unknown[] = [];
        const unfetched: unknown[] = [];
        for (const [ex, list] of Object.entries(tokens)) {
          for (const token of Array.isArray(list) ? list : []) {
            const inst = exchange.instrumentByToken(ex, Number(token));
            if (!inst) {
              unfetched.push({ exchange: ex, symbolToken: token, message: 'Invalid token', errorCode: 'AB4006' });
              continue;
            }
            fetched.push({
              exchange: ex,
              tradingSymbol: tradingSymbol(inst),
              symbolToken: String(inst.token),
              ltp: inst.last / 100,
              open: inst.close / 100,
              high: inst.ask / 100,
              low: inst.bid / 100,
              close: inst.close / 100,
              tradeVolume: inst.volume,
              depth: { buy: [{ price: inst.bid / 100, quantity: 100, orders: 1 }], sell: [{ price: inst.ask / 100, quantity: 100, orders: 1 }] },
            });
          }
        }
        return { fetched, unfetched };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${MASTER_PATH}$`),
      cls: 'master',
      anonymous: true,
      handle: () =>
        exchange.instruments.map((i) => ({
          token: String(i.token),
          symbol: tradingSymbol(i),
          name: i.symbol,
          expiry: '',
          strike: '-1.000000',
          lotsize: String(i.lot),
          instrumenttype: '',
          exch_seg: i.exchange,
          tick_size: `${i.tick}.000000`,
        })),
    },
  ];

  const bearer = (req: EmulatorRequest): string | undefined => {
    const auth = req.headers.authorization;
    return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
  };

  const dialect: WireDialect = {
    authenticate(req) {
      checkHeaders(req, opts.apiKey, true);
      const token = bearer(req);
      if (!token || !jwts.has(token)) throw new WireError(401, { success: false, message: 'Invalid Token', errorCode: 'AG8001', data: '' });
    },
    ok(data, route) {
      if (route.cls === 'master') return { status: 200, body: data };
      return { status: 200, body: { status: true, message: 'SUCCESS', errorcode: '', data } };
    },
    error(err) {
      const wire = refusal(err);
      if (wire) return { status: wire.status, body: wire.body };
      return { status: 500, body: { status: false, message: `Internal Error: ${(err as Error).message}`, errorcode: 'AB2001', data: null } };
    },
    rateLimited: () => ({ status: 429, body: { status: false, message: 'Access denied because of exceeding access rate', errorcode: 'AB1019', data: null } }),
    serverError: () => ({ status: 503, body: '<html><body>503 Service Temporarily Unavailable</body></html>' }),
  };

  const server = await startEmulatorServer({
    routes,
    dialect,
    now,
    limits: options.limits ?? { orders: 20, orderBook: 1, tradeBook: 1, holdings: 1, positions: 1, rms: 2, details: 10, quote: 10, session: 1, profile: 3 },
  });
  const matchInterval = options.matchIntervalMs ?? 20;
  const matcher = matchInterval > 0 ? setInterval(() => exchange.match(), matchInterval) : undefined;
  return {
    url: server.url,
    masterUrl: `${server.url}${MASTER_PATH}`,
    server,
    exchange,
    options: opts,
    jwts,
    refreshTokens,
    expireSessions: () => {
      jwts.clear();
      refreshTokens.clear();
    },
    currentTotp: () => totp(opts.totpSecret, now()),
    async close() {
      if (matcher) clearInterval(matcher);
      await server.close();
    },
  };
}

/** The headers SmartAPI requires of every call (SDK request_util); a missing one is refused. */
function checkHeaders(req: EmulatorRequest, apiKey: string, withToken: boolean): void {
  const h = req.headers as IncomingMessage['headers'];
  const required: Record<string, string | undefined> = {
    'x-usertype': 'USER',
    'x-sourceid': 'WEB',
    'x-clientlocalip': undefined,
    'x-clientpublicip': undefined,
    'x-macaddress': undefined,
    accept: 'application/json',
  };
  for (const [name, value] of Object.entries(required)) {
    const got = h[name];
    if (typeof got !== 'string' || got === '' || (value !== undefined && got !== value)) throw fail(`Invalid or missing header ${name}`, 'AB2000', 400);
  }
  if (req.method === 'POST' && !String(h['content-type'] ?? '').startsWith('application/json')) throw fail('Content-Type must be application/json', 'AB2000', 415);
  if (h['x-privatekey'] !== apiKey) throw new WireError(401, { success: false, message: 'Invalid API Key', errorCode: 'AG8004', data: '' });
  if (withToken && !h.authorization) throw new WireError(401, { success: false, message: 'Invalid Token', errorCode: 'AG8001', data: '' });
}
