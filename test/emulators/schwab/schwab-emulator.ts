import { type EmulatorRequest, type EmulatorRoute, type EmulatorServer, startEmulatorServer, type WireDialect, WireError } from '../exchange/emulator-server.js';
import { OrderListFaults } from '../exchange/order-list-faults.js';
import { type SimHolding, type SimInstrument, SimExchange, type SimOrder, type SimOrderSpec, SimRefusal, SIM_US_INSTRUMENTS } from '../exchange/sim-exchange.js';

/**
 * A strict Schwab Trader API (and the market data and OAuth endpoints ptexec uses) over the shared
 * SimExchange, all below one address: `/v1/oauth/token` (HTTP Basic app key:secret, form-encoded,
 * authorization_code and refresh_token grants, 30-minute access tokens), `/trader/v1/…` (Bearer
 * token; the account hash in every account path; order JSON with exactly the documented fields
 * and enums, 201 with `Location` and no body; `fromEnteredTime`/`toEnteredTime` required on order
 * lists; Schwab's status words; `{message, errors}` refusals), `/marketdata/v1/instruments` and
 * `/quotes`. Orders carry no client order id: nothing in the wire can. Limits per minute:
 * orders 120, reads 120.
 */
export interface SchwabEmulatorOptions {
  instruments?: readonly SimInstrument[];
  cash?: number;
  holdings?: SimHolding[];
  partialFills?: boolean;
  /** Matching pass interval; 0 = only when the test matches. */
  matchIntervalMs?: number;
  /** A session already open with this token (null: none until a login). */
  accessToken?: string | null;
  /** Limits enforced per class (Schwab's: 120 a minute for orders and for reads). */
  limits?: Record<string, number | { limit: number; windowMs: number }>;
  /** Access-token lifetime in seconds (`expires_in`). */
  accessSeconds?: number;
}

export const SCHWAB_EMULATOR_KEYS = {
  apiKey: 'EmuSchwabAppKey0000000000000001',
  apiSecret: 'EmuSchwabSecret1',
  redirectUri: 'https://127.0.0.1:8182',
  accessToken: 'emu-schwab-access-token-0001',
  refreshToken: 'emu-schwab-refresh-token-0001',
  accountNumber: '12345678',
  accountHash: '9E3B5C7A1D2F4B6E8A0C2E4F6A8B0D1F3E5C7A9B1D3F5E7A9C1E3F5A7B9D1E3',
} as const;

export interface SchwabEmulator {
  url: string;
  server: EmulatorServer;
  exchange: SimExchange;
  tokens: Set<string>;
  refreshTokens: Set<string>;
  listFaults: OrderListFaults;
  /** A new one-time authorization code, as Schwab's callback carries it (decoded; it ends in `@`). */
  issueCode(): string;
  /** The order list as Schwab would answer it now. */
  orderRows(): unknown[];
  /** Places an order as someone else would (Schwab's app, another tool): no journal knows it. */
  placeElsewhere(spec: Pick<SimOrderSpec, 'symbol' | 'side' | 'type' | 'quantity' | 'price' | 'trigger'>): string;
  close(): Promise<void>;
}

const STATUS_OF_PHASE: Record<SimOrder['phase'], string> = {
  received: 'PENDING_ACTIVATION',
  open: 'WORKING',
  trigger_pending: 'PENDING_ACTIVATION',
  complete: 'FILLED',
  cancelled: 'CANCELED',
  rejected: 'REJECTED',
  amo: 'QUEUED',
};

const ORDER_FIELDS = ['session', 'duration', 'orderType', 'price', 'stopPrice', 'orderStrategyType', 'orderLegCollection'] as const;
const LEG_FIELDS = ['instruction', 'quantity', 'instrument'] as const;
const DURATIONS = ['DAY', 'GOOD_TILL_CANCEL', 'FILL_OR_KILL', 'IMMEDIATE_OR_CANCEL', 'END_OF_WEEK', 'END_OF_MONTH', 'NEXT_END_OF_MONTH'] as const;
const ORDER_TYPES = ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'] as const;

/** Schwab's time format in answers: `2026-12-03T18:30:00+0000`. */
function schwabTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}

function problem(status: number, message: string, errors: string[] = []): WireError {
  return new WireError(status, { message, errors });
}

const invalid = (detail: string) => problem(400, 'A validation error occurred while processing the request.', [detail]);

export async function startSchwabEmulator(options: SchwabEmulatorOptions = {}): Promise<SchwabEmulator> {
  const exchange = new SimExchange({ instruments: options.instruments ?? SIM_US_INSTRUMENTS, cash: options.cash, holdings: options.holdings, partialFills: options.partialFills });
  const tokens = new Set<string>(options.accessToken === null ? [] : [options.accessToken ?? SCHWAB_EMULATOR_KEYS.accessToken]);
  const refreshTokens = new Set<string>([SCHWAB_EMULATOR_KEYS.refreshToken]);
  const codes = new Set<string>();
  let codeSeq = 0;
  let tokenSeq = 0;

  const orderJson = (o: SimOrder) => {
    const trades = exchange.trades.filter((t) => t.orderId === o.id);
    let remaining = o.quantity;
    const body: Record<string, unknown> = {
      session: 'NORMAL',
      duration: o.validity === 'IOC' ? 'IMMEDIATE_OR_CANCEL' : 'DAY',
      orderType: o.type === 'SL' ? 'STOP_LIMIT' : o.type === 'SL-M' ? 'STOP' : o.type,
      complexOrderStrategyType: 'NONE',
      quantity: o.quantity,
      filledQuantity: o.filled,
      remainingQuantity: o.quantity - o.filled - o.cancelled,
      requestedDestination: 'AUTO',
      destinationLinkName: 'AUTO',
      orderLegCollection: [{ orderLegType: 'EQUITY', legId: 1, instrument: { assetType: 'EQUITY', cusip: exchange.instrument(o.exchange, o.symbol)?.isin.slice(2, 11), symbol: o.symbol, instrumentId: exchange.instrument(o.exchange, o.symbol)?.token }, instruction: o.side, positionEffect: o.side === 'BUY' ? 'OPENING' : 'CLOSING', quantity: o.quantity }],
      orderStrategyType: 'SINGLE',
      orderId: Number(o.id),
      cancelable: ['received', 'open', 'trigger_pending', 'amo'].includes(o.phase),
      editable: ['received', 'open', 'trigger_pending', 'amo'].includes(o.phase),
      status: o.statusOverride ?? STATUS_OF_PHASE[o.phase],
      enteredTime: schwabTime(o.createdAt),
      tag: 'API_TOS:PTEXEC',
      accountNumber: Number(SCHWAB_EMULATOR_KEYS.accountNumber),
    };
    if (o.type === 'LIMIT' || o.type === 'SL') body.price = o.price / 100;
    if (o.type === 'SL' || o.type === 'SL-M') body.stopPrice = o.trigger / 100;
    if (['complete', 'cancelled', 'rejected'].includes(o.phase)) body.closeTime = schwabTime(o.updatedAt);
    if (o.message) body.statusDescription = o.message;
    if (trades.length) {
      body.orderActivityCollection = trades.map((t) => {
        remaining -= t.quantity;
        return {
          activityType: 'EXECUTION',
          executionType: 'FILL',
          quantity: t.quantity,
          orderRemainingQuantity: remaining,
          executionLegs: [{ legId: 1, price: t.price / 100, quantity: t.quantity, mismarkedQuantity: 0, instrumentId: exchange.instrument(t.exchange, t.symbol)?.token, time: schwabTime(t.at) }],
        };
      });
    }
    return body;
  };
  const listFaults = new OrderListFaults(() => problem(500, 'An error occurred while processing the request.'));
  const orderRows = () => exchange.orders().map(orderJson);

  const account = (hash: string) => {
    if (hash !== SCHWAB_EMULATOR_KEYS.accountHash) throw problem(404, 'Account not found', [`no account with hash ${hash.slice(0, 6)}…`]);
  };
  const found = (id: string) => {
    const o = exchange.order(id);
    if (!o) throw problem(404, 'Order not found', [`no order ${id}`]);
    return o;
  };
  const isTime = (value: string | null) => value !== null && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?(Z|[+-]\d\d:?\d\d)$/.test(value);

  /** The order JSON of a placement or replacement, strictly. */
  const orderSpec = (req: EmulatorRequest): SimOrderSpec => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw invalid('Content-Type must be application/json');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      throw invalid('the body is not JSON');
    }
    for (const key of Object.keys(body)) if (!(ORDER_FIELDS as readonly string[]).includes(key)) throw invalid(`unexpected field ${key}`);
    if (body.session !== 'NORMAL') throw invalid(`session ${String(body.session)} is not supported here (NORMAL only)`);
    if (!(DURATIONS as readonly unknown[]).includes(body.duration)) throw invalid(`invalid duration ${String(body.duration)}`);
    if (body.orderStrategyType !== 'SINGLE') throw invalid(`invalid orderStrategyType ${String(body.orderStrategyType)}`);
    const type = body.orderType as (typeof ORDER_TYPES)[number];
    if (!ORDER_TYPES.includes(type)) throw invalid(`invalid orderType ${String(body.orderType)}`);
    const legs = body.orderLegCollection;
    if (!Array.isArray(legs) || legs.length !== 1) throw invalid('orderLegCollection must hold exactly one leg');
    const leg = legs[0] as Record<string, unknown>;
    for (const key of Object.keys(leg)) if (!(LEG_FIELDS as readonly string[]).includes(key)) throw invalid(`unexpected leg field ${key}`);
    if (leg.instruction !== 'BUY' && leg.instruction !== 'SELL') throw invalid(`invalid instruction ${String(leg.instruction)}`);
    if (typeof leg.quantity !== 'number' || !Number.isInteger(leg.quantity) || leg.quantity <= 0) throw invalid('quantity must be a positive whole number of shares');
    const instrument = leg.instrument as Record<string, unknown> | undefined;
    if (!instrument || instrument.assetType !== 'EQUITY' || typeof instrument.symbol !== 'string' || Object.keys(instrument).some((k) => k !== 'symbol' && k !== 'assetType')) throw invalid('instrument must be {symbol, assetType: EQUITY}');
    const inst = exchange.instruments.find((i) => i.symbol === instrument.symbol);
    if (!inst) throw invalid(`symbol ${instrument.symbol} is not valid`);
    const price = (field: 'price' | 'stopPrice', needed: boolean) => {
      const v = body[field];
      if (!needed) {
        if (v !== undefined) throw invalid(`${field} is not allowed for a ${type} order`);
        return 0;
      }
      if (typeof v !== 'number' || !(v > 0)) throw invalid(`${field} is required for a ${type} order`);
      const cents = Math.round(v * 100);
      if (Math.abs(cents - v * 100) > 1e-6) throw invalid(`${field} ${v} has more than two decimals`);
      return cents;
    };
    return {
      symbol: inst.symbol,
      exchange: inst.exchange,
      side: leg.instruction,
      type: type === 'STOP_LIMIT' ? 'SL' : type === 'STOP' ? 'SL-M' : type,
      product: 'delivery',
      validity: body.duration === 'IMMEDIATE_OR_CANCEL' ? 'IOC' : 'DAY',
      quantity: leg.quantity,
      price: price('price', type === 'LIMIT' || type === 'STOP_LIMIT'),
      trigger: price('stopPrice', type === 'STOP' || type === 'STOP_LIMIT'),
    };
  };
  const place = (spec: SimOrderSpec) => {
    const id = exchange.place(spec);
    exchange.accept(id);
    return id;
  };
  const created = (id: string) => ({ created: `${server.url}/trader/v1/accounts/${SCHWAB_EMULATOR_KEYS.accountHash}/orders/${id}` });

  const routes: EmulatorRoute[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/oauth\/token$/,
      cls: 'oauth',
      anonymous: true,
      handle(req) {
        const basic = `Basic ${Buffer.from(`${SCHWAB_EMULATOR_KEYS.apiKey}:${SCHWAB_EMULATOR_KEYS.apiSecret}`).toString('base64')}`;
        if (req.headers.authorization !== basic) throw new WireError(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) throw new WireError(400, { error: 'invalid_request', error_description: 'form-encoded body expected' });
        const form = new URLSearchParams(req.body);
        const grant = form.get('grant_type');
        if (grant === 'authorization_code') {
          const code = form.get('code') ?? '';
          if (form.get('redirect_uri') !== SCHWAB_EMULATOR_KEYS.redirectUri) throw new WireError(400, { error: 'invalid_request', error_description: 'redirect_uri does not match the app' });
          if (!codes.delete(code)) throw new WireError(400, { error: 'invalid_grant', error_description: 'authorization code is invalid or expired' });
        } else if (grant === 'refresh_token') {
          if (!refreshTokens.has(form.get('refresh_token') ?? '')) throw new WireError(400, { error: 'invalid_grant', error_description: 'refresh token is invalid or expired' });
        } else throw new WireError(400, { error: 'unsupported_grant_type', error_description: `grant_type ${grant}` });
        const token = `emu-schwab-token-${++tokenSeq}-${Date.now()}`;
        tokens.add(token);
        return { expires_in: options.accessSeconds ?? 1800, token_type: 'Bearer', scope: 'api', refresh_token: SCHWAB_EMULATOR_KEYS.refreshToken, access_token: token, id_token: 'emu-id-token' };
      },
    },
    {
      method: 'GET',
      pattern: /^\/trader\/v1\/accounts\/accountNumbers$/,
      cls: 'reads',
      handle: () => [{ accountNumber: SCHWAB_EMULATOR_KEYS.accountNumber, hashValue: SCHWAB_EMULATOR_KEYS.accountHash }],
    },
    {
      method: 'GET',
      pattern: /^\/trader\/v1\/accounts\/([^/]+)$/,
      cls: 'reads',
      handle(req, m) {
        account(m[1]!);
        const fields = req.query.get('fields');
        if (fields !== null && fields !== 'positions') throw invalid(`invalid fields ${fields}`);
        const cash = exchange.cash - exchange.blockedCash();
        const symbols = new Set([...exchange.holdings.map((h) => `${h.exchange}:${h.symbol}`), ...exchange.dayPositions().map((p) => `${p.exchange}:${p.symbol}`)]);
        const positions = [...symbols].flatMap((key) => {
          const [ex, symbol] = key.split(':') as [string, string];
          const owned = exchange.ownedQuantity(ex, symbol);
          if (owned <= 0) return [];
          const h = exchange.holdings.find((x) => x.exchange === ex && x.symbol === symbol);
          const inst = exchange.instrument(ex, symbol);
          if (!inst) return [];
          const bought = exchange.dayPositions().find((p) => p.exchange === ex && p.symbol === symbol);
          const average = h?.averagePrice || (bought && bought.buyQuantity ? bought.buyValue / bought.buyQuantity : inst.last);
          return [
            {
              shortQuantity: 0,
              averagePrice: average / 100,
              longQuantity: owned,
              settledLongQuantity: Math.min(owned, h?.quantity ?? 0),
              settledShortQuantity: 0,
              instrument: { assetType: 'EQUITY', cusip: inst.isin.slice(2, 11), symbol, instrumentId: inst.token },
              marketValue: (owned * inst.last) / 100,
              maintenanceRequirement: 0,
              averageLongPrice: average / 100,
            },
          ];
        });
        return {
          securitiesAccount: {
            type: 'CASH',
            accountNumber: SCHWAB_EMULATOR_KEYS.accountNumber,
            roundTrips: 0,
            isDayTrader: false,
            isClosingOnlyRestricted: false,
            pfcbFlag: false,
            ...(fields === 'positions' ? { positions } : {}),
            currentBalances: { cashAvailableForTrading: cash / 100, cashBalance: exchange.cash / 100, unsettledCash: 0, totalCash: exchange.cash / 100, cashDebitCallValue: 0 },
          },
          aggregatedBalance: { currentLiquidationValue: exchange.cash / 100, liquidationValue: exchange.cash / 100 },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/trader\/v1\/accounts\/([^/]+)\/orders$/,
      cls: 'reads',
      handle(req, m) {
        account(m[1]!);
        const from = req.query.get('fromEnteredTime');
        const to = req.query.get('toEnteredTime');
        if (!isTime(from) || !isTime(to)) throw invalid("fromEnteredTime and toEnteredTime are required, as yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        const [a, b] = [Date.parse(from!), Date.parse(to!)];
        if (b < a) throw invalid('toEnteredTime is before fromEnteredTime');
        const status = req.query.get('status');
        const rows = listFaults.answer(orderRows()) as Record<string, unknown>[];
        return rows.filter((o) => {
          const entered = Date.parse(String(o.enteredTime));
          return entered >= Math.floor(a / 1000) * 1000 && entered <= b && (status === null || o.status === status);
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/trader\/v1\/accounts\/([^/]+)\/orders\/(\d+)$/,
      cls: 'reads',
      handle(_req, m) {
        account(m[1]!);
        return orderJson(found(m[2]!));
      },
    },
    {
      method: 'POST',
      pattern: /^\/trader\/v1\/accounts\/([^/]+)\/orders$/,
      cls: 'orders',
      placement: true,
      handle(req, m) {
        account(m[1]!);
        return created(place(orderSpec(req)));
      },
    },
    {
      method: 'PUT',
      pattern: /^\/trader\/v1\/accounts\/([^/]+)\/orders\/(\d+)$/,
      cls: 'orders',
      handle(req, m) {
        account(m[1]!);
        const old = found(m[2]!);
        const spec = orderSpec(req);
        if (!['received', 'open', 'trigger_pending', 'amo'].includes(old.phase)) throw problem(400, 'Order is not replaceable', [`order ${old.id} is ${STATUS_OF_PHASE[old.phase]}`]);
        if (spec.symbol !== old.symbol || spec.side !== old.side) throw invalid('a replacement must keep the symbol and instruction');
        exchange.cancel(old.id);
        exchange.override(old.id, 'REPLACED');
        return created(place(spec));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/trader\/v1\/accounts\/([^/]+)\/orders\/(\d+)$/,
      cls: 'orders',
      handle(_req, m) {
        account(m[1]!);
        const o = found(m[2]!);
        if (!['received', 'open', 'trigger_pending', 'amo'].includes(o.phase)) throw problem(400, 'Order is not cancelable', [`order ${o.id} is ${o.statusOverride ?? STATUS_OF_PHASE[o.phase]}`]);
        exchange.cancel(o.id);
        return { deleted: true };
      },
    },
    {
      method: 'GET',
      pattern: /^\/marketdata\/v1\/instruments$/,
      cls: 'reads',
      handle(req) {
        const projection = req.query.get('projection');
        if (projection !== 'symbol-search') throw invalid(`projection ${projection} is not supported here`);
        const wanted = (req.query.get('symbol') ?? '').split(',').filter(Boolean);
        if (!wanted.length) throw invalid('symbol is required');
        const instruments = wanted.flatMap((s) => exchange.instruments.filter((i) => i.symbol === s).map((i) => ({ cusip: i.isin.slice(2, 11), symbol: i.symbol, description: i.name, exchange: i.exchange, assetType: 'EQUITY' })));
        return { instruments };
      },
    },
    {
      method: 'GET',
      pattern: /^\/marketdata\/v1\/quotes$/,
      cls: 'reads',
      handle(req) {
        const fields = req.query.get('fields');
        if (fields !== null && !fields.split(',').every((f) => ['quote', 'fundamental', 'extended', 'reference', 'regular'].includes(f))) throw invalid(`invalid fields ${fields}`);
        const out: Record<string, unknown> = {};
        for (const s of (req.query.get('symbols') ?? '').split(',').filter(Boolean)) {
          const i = exchange.instruments.find((x) => x.symbol === s);
          if (!i) continue;
          out[s] = { assetMainType: 'EQUITY', symbol: s, realtime: true, ssid: i.token, quote: { bidPrice: i.bid / 100, askPrice: i.ask / 100, lastPrice: i.last / 100, closePrice: i.close / 100, totalVolume: i.volume, quoteTime: Date.now(), tradeTime: Date.now() } };
        }
        return out;
      },
    },
  ];

  const dialect: WireDialect = {
    authenticate(req) {
      const auth = String(req.headers.authorization ?? '');
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!tokens.has(token)) throw problem(401, 'Client not authorized', ['the access token is invalid or expired']);
      if (req.headers.accept !== undefined && !String(req.headers.accept).includes('json') && req.headers.accept !== '*/*') throw problem(406, 'Not acceptable');
    },
    ok(data) {
      if (data && typeof data === 'object' && 'created' in data) return { status: 201, body: '', headers: { location: String((data as { created: string }).created) } };
      if (data && typeof data === 'object' && 'deleted' in data) return { status: 200, body: '' };
      return { status: 200, body: data };
    },
    error(err) {
      if (err instanceof SimRefusal) {
        if (err.kind === 'not_found') return { status: 404, body: { message: 'Order not found', errors: [err.message] } };
        return { status: 400, body: { message: err.kind === 'not_live' ? 'Order is not cancelable' : 'A validation error occurred while processing the request.', errors: [err.message] } };
      }
      return { status: 500, body: { message: 'An error occurred while processing the request.', errors: [String(err)] } };
    },
    // unverified: Schwab's 429 body; HTTP 429 with the ServiceError shape.
    rateLimited: () => ({ status: 429, body: { message: 'Too many requests', errors: ['the app exceeded its request limit'] } }),
    serverError: () => ({ status: 500, body: { message: 'An error occurred while processing the request.', errors: [] } }),
  };

  const minute = (limit: number) => ({ limit, windowMs: 60_000 });
  const server = await startEmulatorServer({ routes, dialect, limits: options.limits ?? { orders: minute(120), reads: minute(120) } });
  const matchInterval = options.matchIntervalMs ?? 0;
  const matcher = matchInterval > 0 ? setInterval(() => exchange.match(), matchInterval) : undefined;
  return {
    url: server.url,
    server,
    exchange,
    tokens,
    refreshTokens,
    listFaults,
    issueCode: () => {
      const code = `C0.ZW11LXNjaHdhYg.emu-code-${++codeSeq}@`;
      codes.add(code);
      return code;
    },
    orderRows,
    placeElsewhere: (spec) => place({ ...spec, exchange: exchange.instruments.find((i) => i.symbol === spec.symbol)!.exchange, product: 'delivery', validity: 'DAY' }),
    async close() {
      if (matcher) clearInterval(matcher);
      await server.close();
    },
  };
}
