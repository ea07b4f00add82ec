import { sha256Hex } from '../../../src/market/hash.js';
import { totpCode } from '../../../src/brokers/groww/totp.js';
import { GROWW_INSTRUMENT_COLUMNS, GROWW_REFERENCE_ID } from '../../../src/brokers/groww/wire-facts.js';
import { type EmulatorRequest, type EmulatorRoute, type EmulatorServer, startEmulatorServer, type WireDialect, WireError } from '../exchange/emulator-server.js';
import { OrderListFaults } from '../exchange/order-list-faults.js';
import { type SimHolding, type SimInstrument, SimExchange, type SimOrder, type SimOrderSpec, SimRefusal, type SimTrade } from '../exchange/sim-exchange.js';

/**
 * A strict Groww Trading API over the shared SimExchange: Bearer token and `X-API-VERSION: 1.0`
 * on every call, JSON bodies with exactly the documented fields and enums, the
 * `{status: SUCCESS|FAILURE}` envelope with GA error codes, `order_reference_id` rules and GA007
 * on a duplicate, Groww's status words, page-size limits, the token endpoint's approval and TOTP
 * proofs, and the instrument CSV. Per-second limits of the three published classes.
 */
export interface GrowwEmulatorOptions {
  instruments?: readonly SimInstrument[];
  cash?: number;
  holdings?: SimHolding[];
  partialFills?: boolean;
  /** Matching pass interval; 0 = only when the test matches. */
  matchIntervalMs?: number;
  /** A session already open with this token (null: none until a login). */
  accessToken?: string | null;
  /** Per-second limits enforced (Groww's published ones by default). */
  limits?: Record<string, number>;
}

export const GROWW_EMULATOR_KEYS = {
  apiKey: 'emu-groww-api-key-0001',
  apiSecret: 'emugrowwsecret0001',
  /** Base32, as Groww's API keys page shows it. */
  totpSecret: 'JBSWY3DPEHPK3PXP',
  accessToken: 'emu-groww-access-token-0001',
} as const;

export interface GrowwEmulator {
  url: string;
  listFaults: OrderListFaults;
  /** The order list as Groww would answer it now. */
  orderRows(): unknown[];
  instrumentsUrl: string;
  server: EmulatorServer;
  exchange: SimExchange;
  tokens: Set<string>;
  /** The key-and-secret flow needs the key approved for the day on Groww's page. */
  approved: boolean;
  /** Tokens issued by logins, in order. */
  issued: string[];
  close(): Promise<void>;
}

const STATUS_OF_PHASE: Record<SimOrder['phase'], string> = {
  received: 'NEW',
  open: 'APPROVED',
  trigger_pending: 'TRIGGER_PENDING',
  complete: 'EXECUTED',
  cancelled: 'CANCELLED',
  rejected: 'REJECTED',
  amo: 'NEW',
};

const failure = (status: number, code: string, message: string) => new WireError(status, { status: 'FAILURE', error: { code, message, metadata: null } });
const bad = (message: string) => failure(400, 'GA001', message);

const rupees = (paise: number) => Number((paise / 100).toFixed(2));
const paiseOf = (value: unknown, field: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad(`${field} must be a non-negative number (rupees)`);
  return Math.round(value * 100);
};

function jsonBody(req: EmulatorRequest, allowed: readonly string[], required: readonly string[]): Record<string, unknown> {
  if (!String(req.headers['content-type'] ?? '').includes('application/json')) throw bad('Content-Type must be application/json');
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw bad('body is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('body must be a JSON object');
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!allowed.includes(key)) throw bad(`unknown field ${key}`);
  for (const key of required) if (record[key] === undefined || record[key] === null) throw bad(`${key} is required`);
  return record;
}

function oneOf<T extends string>(value: unknown, field: string, values: readonly T[]): T {
  if (!values.includes(value as T)) throw bad(`${field} must be one of ${values.join(', ')}`);
  return value as T;
}

function segmentQuery(req: EmulatorRequest, required = true): void {
  const segment = req.query.get('segment');
  if (segment === null && !required) return;
  oneOf(segment, 'segment', ['CASH', 'FNO', 'COMMODITY'] as const);
}

function pageQuery(req: EmulatorRequest, max: number): { page: number; size: number } {
  const page = Number(req.query.get('page') ?? '0');
  const size = Number(req.query.get('page_size') ?? String(max));
  if (!Number.isInteger(page) || page < 0) throw bad('page must be a non-negative integer');
  if (!Number.isInteger(size) || size < 1 || size > max) throw bad(`page_size must be 1 to ${max}`);
  return { page, size };
}

export async function startGrowwEmulator(options: GrowwEmulatorOptions = {}): Promise<GrowwEmulator> {
  const exchange = new SimExchange({
    instruments: options.instruments,
    cash: options.cash,
    holdings: options.holdings,
    partialFills: options.partialFills,
    orderId: (n) => `GMK${String(n).padStart(8, '0')}RDT`,
    tradeId: (n) => `TRD${String(n).padStart(9, '0')}`,
  });
  const tokens = new Set<string>();
  if (options.accessToken !== null) tokens.add(options.accessToken ?? GROWW_EMULATOR_KEYS.accessToken);
  const issued: string[] = [];
  const state = { approved: true };
  let tokenSeq = 0;

  const orderJson = (o: SimOrder) => ({
    groww_order_id: o.id,
    trading_symbol: o.symbol,
    order_status: o.statusOverride ?? STATUS_OF_PHASE[o.phase],
    remark: o.message ?? (o.phase === 'rejected' ? 'Order rejected' : 'Order placed successfully'),
    quantity: o.quantity,
    price: rupees(o.price),
    trigger_price: rupees(o.trigger),
    filled_quantity: o.filled,
    remaining_quantity: o.quantity - o.filled,
    average_fill_price: Number((exchange.averagePrice(o) / 100).toFixed(4)),
    deliverable_quantity: o.product === 'delivery' ? o.filled : 0,
    amo_status: o.amo ? 'PENDING' : 'NA',
    validity: 'DAY',
    exchange: o.exchange,
    order_type: o.type === 'SL-M' ? 'SL_M' : o.type,
    transaction_type: o.side,
    segment: 'CASH',
    product: o.product === 'delivery' ? 'CNC' : 'MIS',
    created_at: new Date(o.createdAt + 5.5 * 3_600_000).toISOString().slice(0, 19),
    exchange_time: new Date(o.updatedAt + 5.5 * 3_600_000).toISOString().slice(0, 19),
    trade_date: new Date(o.createdAt).toISOString(),
    order_reference_id: o.clientRef ?? null,
  });
  const tradeJson = (t: SimTrade) => ({
    price: rupees(t.price),
    isin: exchange.instrument(t.exchange, t.symbol)?.isin ?? '',
    quantity: t.quantity,
    groww_order_id: t.orderId,
    groww_trade_id: t.id,
    exchange_trade_id: `EX${t.id}`,
    exchange_order_id: exchange.order(t.orderId)?.exchangeOrderId ?? '',
    trade_status: 'COMPLETED',
    trading_symbol: t.symbol,
    remark: 'Trade executed successfully',
    exchange: t.exchange,
    segment: 'CASH',
    product: t.product === 'delivery' ? 'CNC' : 'MIS',
    transaction_type: t.side,
    created_at: new Date(t.at).toISOString(),
    trade_date_time: new Date(t.at).toISOString(),
    settlement_number: 'S1',
  });
  const listFaults = new OrderListFaults(() => new WireError(500, { status: 'FAILURE', error: { code: 'GA000', message: 'Internal error occurred', metadata: null } }));
  const orderRows = () => exchange.orders().map(orderJson);
  const found = (id: string) => {
    const o = exchange.order(id);
    if (!o) throw failure(404, 'GA004', 'Requested entity does not exist');
    return o;
  };

  const routes: EmulatorRoute[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/token\/api\/access$/,
      cls: 'session',
      anonymous: true,
      handle(req) {
        if (req.headers.authorization !== `Bearer ${GROWW_EMULATOR_KEYS.apiKey}`) throw failure(401, 'GA005', 'Invalid API key');
        const body = jsonBody(req, ['key_type', 'checksum', 'timestamp', 'totp'], ['key_type']);
        const kind = oneOf(body.key_type, 'key_type', ['approval', 'totp'] as const);
        const now = Date.now();
        if (kind === 'approval') {
          const ts = String(body.timestamp ?? '');
          if (!/^\d{10}$/.test(ts)) throw bad('timestamp must be epoch seconds (10 digits)');
          if (Math.abs(Number(ts) * 1000 - now) > 60_000) throw failure(401, 'GA005', 'timestamp is not recent');
          if (body.checksum !== sha256Hex(GROWW_EMULATOR_KEYS.apiSecret + ts)) throw failure(401, 'GA005', 'Invalid checksum');
          if (!state.approved) throw failure(403, 'GA005', 'API key not approved for today');
        } else {
          const code = String(body.totp ?? '');
          const valid = [now - 30_000, now, now + 30_000].map((t) => totpCode(GROWW_EMULATOR_KEYS.totpSecret, t));
          if (!valid.includes(code)) throw failure(401, 'GA005', 'Invalid TOTP');
        }
        const token = `emu-groww-token-${++tokenSeq}-${now}`;
        tokens.add(token);
        issued.push(token);
        return { token, tokenRefId: `ref-${tokenSeq}`, sessionName: 'ptexec', expiry: new Date(now + 5.5 * 3_600_000 + 3_600_000).toISOString().slice(0, 19), isActive: true };
      },
    },
    { method: 'GET', pattern: /^\/v1\/user\/detail$/, cls: 'non_trading', handle: () => ({ vendor_user_id: 'd86890d1-emu', ucc: '924189', nse_enabled: true, bse_enabled: true, ddpi_enabled: false, active_segments: ['CASH'] }) },
    {
      method: 'POST',
      pattern: /^\/v1\/order\/create$/,
      cls: 'orders',
      placement: true,
      handle(req) {
        const required = ['trading_symbol', 'quantity', 'validity', 'exchange', 'segment', 'product', 'order_type', 'transaction_type', 'order_reference_id'] as const;
        const body = jsonBody(req, [...required, 'price', 'trigger_price'], required);
        const reference = String(body.order_reference_id);
        if (!GROWW_REFERENCE_ID.test(reference)) throw bad('order_reference_id must be 8 to 20 alphanumerics with at most two hyphens');
        if (exchange.findByClientRef(reference)) throw failure(400, 'GA007', 'Duplicate order reference id');
        oneOf(body.validity, 'validity', ['DAY'] as const);
        oneOf(body.segment, 'segment', ['CASH'] as const);
        const type = oneOf(body.order_type, 'order_type', ['LIMIT', 'MARKET', 'SL', 'SL_M'] as const);
        if (typeof body.quantity !== 'number' || !Number.isInteger(body.quantity)) throw bad('quantity must be an integer');
        const spec: SimOrderSpec = {
          symbol: String(body.trading_symbol),
          exchange: oneOf(body.exchange, 'exchange', ['NSE', 'BSE'] as const),
          side: oneOf(body.transaction_type, 'transaction_type', ['BUY', 'SELL'] as const),
          type: type === 'SL_M' ? 'SL-M' : type,
          product: oneOf(body.product, 'product', ['CNC', 'MIS', 'NRML'] as const) === 'MIS' ? 'intraday' : 'delivery',
          validity: 'DAY',
          quantity: body.quantity,
          price: body.price === undefined ? 0 : paiseOf(body.price, 'price'),
          trigger: body.trigger_price === undefined ? 0 : paiseOf(body.trigger_price, 'trigger_price'),
          clientRef: reference,
        };
        if (spec.type === 'MARKET' && spec.price !== 0) throw bad('price must be 0 for a MARKET order');
        const id = exchange.place(spec);
        exchange.accept(id);
        const o = exchange.order(id)!;
        return { groww_order_id: id, order_status: STATUS_OF_PHASE[o.phase], order_reference_id: reference, remark: o.message ?? 'Order placed successfully' };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/order\/modify$/,
      cls: 'orders',
      handle(req) {
        const body = jsonBody(req, ['quantity', 'price', 'trigger_price', 'order_type', 'segment', 'groww_order_id'], ['order_type', 'segment', 'groww_order_id']);
        oneOf(body.segment, 'segment', ['CASH'] as const);
        const type = oneOf(body.order_type, 'order_type', ['LIMIT', 'MARKET', 'SL', 'SL_M'] as const);
        const o = found(String(body.groww_order_id));
        exchange.modify(o.id, {
          quantity: body.quantity === undefined ? undefined : Number(body.quantity),
          price: body.price === undefined ? undefined : paiseOf(body.price, 'price'),
          trigger: body.trigger_price === undefined ? undefined : paiseOf(body.trigger_price, 'trigger_price'),
          type: type === 'SL_M' ? 'SL-M' : type,
        });
        return { groww_order_id: o.id, order_status: STATUS_OF_PHASE[exchange.order(o.id)!.phase] };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/order\/cancel$/,
      cls: 'orders',
      handle(req) {
        const body = jsonBody(req, ['segment', 'groww_order_id'], ['segment', 'groww_order_id']);
        oneOf(body.segment, 'segment', ['CASH'] as const);
        const o = found(String(body.groww_order_id));
        exchange.cancel(o.id);
        return { groww_order_id: o.id, order_status: 'CANCELLED' };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/order\/list$/,
      cls: 'non_trading',
      handle(req) {
        segmentQuery(req, false);
        const { page, size } = pageQuery(req, 100);
        return { order_list: listFaults.answer(orderRows()).slice(page * size, (page + 1) * size) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/order\/detail\/([^/]+)$/,
      cls: 'non_trading',
      handle(req, m) {
        segmentQuery(req);
        return orderJson(found(decodeURIComponent(m[1]!)));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/order\/status\/reference\/([^/]+)$/,
      cls: 'non_trading',
      handle(req, m) {
        segmentQuery(req);
        const o = exchange.findByClientRef(decodeURIComponent(m[1]!));
        if (!o) throw failure(404, 'GA004', 'Requested entity does not exist');
        const j = orderJson(o);
        return { groww_order_id: j.groww_order_id, order_status: j.order_status, remark: j.remark, filled_quantity: j.filled_quantity, order_reference_id: j.order_reference_id };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/order\/status\/([^/]+)$/,
      cls: 'non_trading',
      handle(req, m) {
        segmentQuery(req);
        const j = orderJson(found(decodeURIComponent(m[1]!)));
        return { groww_order_id: j.groww_order_id, order_status: j.order_status, remark: j.remark, filled_quantity: j.filled_quantity, order_reference_id: j.order_reference_id };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/order\/trades\/([^/]+)$/,
      cls: 'non_trading',
      handle(req, m) {
        segmentQuery(req);
        const { page, size } = pageQuery(req, 50);
        const o = found(decodeURIComponent(m[1]!));
        return { trade_list: exchange.trades.filter((t) => t.orderId === o.id).slice(page * size, (page + 1) * size).map(tradeJson) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/holdings\/user$/,
      cls: 'non_trading',
      handle: () => ({
        holdings: exchange.holdings.map((h) => ({
          isin: exchange.instrument(h.exchange, h.symbol)?.isin ?? '',
          trading_symbol: h.symbol,
          quantity: h.quantity + h.t1Quantity,
          average_price: Number((h.averagePrice / 100).toFixed(4)),
          pledge_quantity: 0,
          demat_locked_quantity: 0,
          groww_locked_quantity: 0,
          repledge_quantity: 0,
          t1_quantity: h.t1Quantity,
          demat_free_quantity: h.quantity,
          corporate_action_additional_quantity: 0,
          active_demat_transfer_quantity: 0,
        })),
      }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/positions\/user$/,
      cls: 'non_trading',
      handle(req) {
        segmentQuery(req, false);
        return {
          positions: exchange.dayPositions().map((p) => ({
            trading_symbol: p.symbol,
            credit_quantity: p.buyQuantity,
            credit_price: p.buyQuantity ? Number((p.buyValue / p.buyQuantity / 100).toFixed(4)) : 0,
            debit_quantity: p.sellQuantity,
            debit_price: p.sellQuantity ? Number((p.sellValue / p.sellQuantity / 100).toFixed(4)) : 0,
            carry_forward_credit_quantity: 0,
            carry_forward_credit_price: 0,
            carry_forward_debit_quantity: 0,
            carry_forward_debit_price: 0,
            exchange: p.exchange,
            symbol_isin: exchange.instrument(p.exchange, p.symbol)?.isin ?? '',
            quantity: p.quantity,
            product: p.product === 'delivery' ? 'CNC' : 'MIS',
            net_carry_forward_quantity: 0,
            net_price: p.quantity ? Number(((p.buyValue - p.sellValue) / p.quantity / 100).toFixed(4)) : 0,
            net_carry_forward_price: 0,
            realised_pnl: 0,
          })),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/margins\/detail\/user$/,
      cls: 'non_trading',
      handle: () => {
        const free = exchange.cash - exchange.blockedCash();
        return {
          clear_cash: rupees(exchange.cash),
          net_margin_used: rupees(exchange.blockedCash()),
          brokerage_and_charges: 0,
          collateral_used: 0,
          collateral_available: 0,
          adhoc_margin: 0,
          fno_margin_details: { net_fno_margin_used: 0, span_margin_used: 0, exposure_margin_used: 0, future_balance_available: 0, option_buy_balance_available: 0, option_sell_balance_available: 0 },
          equity_margin_details: { net_equity_margin_used: rupees(exchange.blockedCash()), cnc_margin_used: rupees(exchange.blockedCash()), mis_margin_used: 0, cnc_balance_available: rupees(free), mis_balance_available: rupees(free) },
          commodity_margin_details: {},
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/live-data\/quote$/,
      cls: 'live_data',
      handle(req) {
        segmentQuery(req);
        const inst = exchange.instrument(req.query.get('exchange') ?? '', req.query.get('trading_symbol') ?? '');
        if (!inst) throw failure(404, 'GA004', 'Requested entity does not exist');
        return { average_price: rupees(inst.last), bid_quantity: 1000, bid_price: rupees(inst.bid), offer_price: rupees(inst.ask), offer_quantity: 1000, last_price: rupees(inst.last), volume: inst.volume, ohlc: `{open: ${rupees(inst.close)},high: ${rupees(inst.last)},low: ${rupees(inst.close)},close: ${rupees(inst.close)}}` };
      },
    },
    {
      method: 'GET',
      pattern: /^\/instruments\/instrument\.csv$/,
      cls: 'assets',
      anonymous: true,
      handle: () => {
        const rows = exchange.instruments.map((i) => {
          const cells: Record<string, string> = { exchange: i.exchange, exchange_token: String(i.token), trading_symbol: i.symbol, groww_symbol: `${i.exchange}-${i.symbol}`, name: i.name, instrument_type: 'EQ', segment: 'CASH', series: 'EQ', isin: i.isin, lot_size: String(i.lot), tick_size: (i.tick / 100).toFixed(2), freeze_quantity: '', is_reserved: 'false', buy_allowed: 'true', sell_allowed: 'true' };
          return GROWW_INSTRUMENT_COLUMNS.map((c) => cells[c] ?? '').join(',');
        });
        const index = 'NSE,26000,NIFTY,NSE-NIFTY,NIFTY 50,IDX,CASH,,,,,1,,,0.05,,false,false,false';
        return [GROWW_INSTRUMENT_COLUMNS.join(','), index, ...rows].join('\n') + '\n';
      },
    },
  ];

  const dialect: WireDialect = {
    authenticate(req) {
      if (req.headers['x-api-version'] !== '1.0') throw bad('X-API-VERSION header must be 1.0');
      const auth = String(req.headers.authorization ?? '');
      if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) throw failure(401, 'GA005', 'User not authorised to perform this operation');
    },
    ok: (data, route) => ({ status: 200, body: route.cls === 'session' || route.cls === 'assets' ? data : { status: 'SUCCESS', payload: data } }),
    error(err) {
      if (err instanceof SimRefusal) {
        if (err.kind === 'not_found') return { status: 404, body: { status: 'FAILURE', error: { code: 'GA004', message: err.message, metadata: null } } };
        if (err.kind === 'not_live') return { status: 400, body: { status: 'FAILURE', error: { code: 'GA006', message: err.message, metadata: null } } };
        return { status: 400, body: { status: 'FAILURE', error: { code: 'GA001', message: err.message, metadata: null } } };
      }
      return { status: 500, body: { status: 'FAILURE', error: { code: 'GA000', message: 'Internal error occurred', metadata: null } } };
    },
    // Groww's rate-limit body is not documented: HTTP 429 with the FAILURE envelope.
    rateLimited: () => ({ status: 429, body: { status: 'FAILURE', error: { code: 'GA003', message: 'Too many requests', metadata: null } } }),
    serverError: () => ({ status: 500, body: { status: 'FAILURE', error: { code: 'GA000', message: 'Internal error occurred', metadata: null } } }),
  };

  const server = await startEmulatorServer({ routes, dialect, limits: options.limits ?? { orders: 10, live_data: 10, non_trading: 20 } });
  const matchInterval = options.matchIntervalMs ?? 0;
  const matcher = matchInterval > 0 ? setInterval(() => exchange.match(), matchInterval) : undefined;
  return {
    url: server.url,
    instrumentsUrl: `${server.url}/instruments/instrument.csv`,
    server,
    exchange,
    tokens,
    listFaults,
    orderRows,
    issued,
    get approved() {
      return state.approved;
    },
    set approved(v: boolean) {
      state.approved = v;
    },
    async close() {
      if (matcher) clearInterval(matcher);
      await server.close();
    },
  };
}
