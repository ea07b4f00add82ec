import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { type EmulatorRequest, type EmulatorRoute, type EmulatorServer, startEmulatorServer, WireError, type WireDialect } from '../exchange/emulator-server.js';
import { AlpacaOrderGroups } from './alpaca-order-groups.js';
import { AlpacaTrailingStops } from './alpaca-trailing-stops.js';
import { type SimExchangeOptions, type SimHolding, type SimInstrument, type SimOrder, type SimOrderType, SimExchange, SimRefusal, SIM_US_INSTRUMENTS, type SimTrade } from '../exchange/sim-exchange.js';

/**
 * A strict Alpaca Trading API v2 (and the market-data snapshots) over the shared SimExchange,
 * in US dollars. It refuses what Alpaca refuses: no `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`
 * pair or a wrong one (401 40110000), a body that is not JSON, unknown fields and enums, numbers
 * that are not strings, prices off the cent, a duplicate `client_order_id` (422 40010001),
 * buying power or shares short (403 40310000), more than 200 requests a minute (429 42910000).
 * A PATCH replaces: the order becomes `replaced` and a new order (new id, `replaces`) carries the
 * rest. Bracket and OCO orders run with their legs (alpaca-order-groups.ts), trailing stops follow
 * the market (alpaca-trailing-stops.ts). The `trade_updates` stream authenticates by message and sends binary frames.
 */
export interface AlpacaEmulatorOptions extends Pick<SimExchangeOptions, 'cash' | 'partialFills'> {
  holdings?: SimHolding[];
  instruments?: SimInstrument[];
  keyId?: string;
  secretKey?: string;
  accountNumber?: string;
  /** Requests a minute per key pair before 429 (Alpaca: 200). */
  requestsPerMinute?: number;
  /** Delay between `pending_new` and `new`. */
  statusStepMs?: number;
  /** Matching pass interval; 0 = only when the test calls `exchange.match()`. */
  matchIntervalMs?: number;
  now?: () => number;
}

export interface AlpacaEmulator {
  url: string;
  wsUrl: string;
  keyId: string;
  secretKey: string;
  accountNumber: string;
  exchange: SimExchange;
  server: EmulatorServer;
  /** Makes the key pair invalid (regenerated on the dashboard): the next call gets 401. */
  revokeKeys(): void;
  /** The status word Alpaca shows for an order. */
  statusOf(order: SimOrder): string;
  /** Moves trailing stops with the market, then one matching pass (what the matcher runs on its interval). */
  tick(): void;
  /** Puts an order in one of Alpaca's status words; its acceptance stops there. */
  setStatus(id: string, word: string): void;
  close(): Promise<void>;
}

const PHASE_WORDS: Record<SimOrder['phase'], string> = {
  received: 'pending_new',
  open: 'new',
  trigger_pending: 'new',
  complete: 'filled',
  cancelled: 'canceled',
  rejected: 'rejected',
  amo: 'accepted',
};
const TYPES: Record<string, SimOrderType> = { market: 'MARKET', limit: 'LIMIT', stop: 'SL-M', stop_limit: 'SL', trailing_stop: 'SL-M' };
const PLACE_FIELDS = ['symbol', 'qty', 'notional', 'side', 'type', 'time_in_force', 'limit_price', 'stop_price', 'trail_price', 'trail_percent', 'extended_hours', 'client_order_id', 'order_class', 'take_profit', 'stop_loss', 'position_intent', 'advanced_instructions', 'legs'];
const REPLACE_FIELDS = ['qty', 'time_in_force', 'limit_price', 'stop_price', 'trail', 'client_order_id', 'notional', 'advanced_instructions'];

const problem = (status: number, code: number, message: string) => new WireError(status, { code, message });
const dollars = (cents: number) => (cents / 100).toFixed(2);
const iso = (ms: number) => new Date(ms).toISOString();

export async function startAlpacaEmulator(options: AlpacaEmulatorOptions = {}): Promise<AlpacaEmulator> {
  let keyId = options.keyId ?? 'PKEMULATOR0000000001';
  let secretKey = options.secretKey ?? 'emulatorsecretkey0000000000000000000000001';
  const accountNumber = options.accountNumber ?? 'PA3EMU0001';
  const accountId = '904837e3-3b76-47ec-b432-046db621571b';
  const now = options.now ?? Date.now;
  let orderSeq = 0;
  const exchange = new SimExchange({
    instruments: options.instruments ?? SIM_US_INSTRUMENTS,
    cash: options.cash,
    holdings: options.holdings ?? [{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000 }],
    partialFills: options.partialFills,
    now,
    orderId: () => `61e69015-8549-4bfd-b9c3-${String(++orderSeq).padStart(12, '0')}`,
    tradeId: (n) => `${new Date(now()).toISOString().replace(/\D/g, '').slice(0, 17)}::${randomBytes(4).toString('hex')}-0000-4000-8000-${String(n).padStart(12, '0')}`,
  });
  const startedAt = now();
  // Shares of the seeded holdings bought earlier today: unsettled (T+1), shown among today's fills.
  const seededFills = exchange.holdings.filter((h) => h.t1Quantity > 0).map((h, i) => ({ id: `seed::${i}`, activity_type: 'FILL', transaction_time: iso(startedAt - 3_600_000), type: 'fill', price: dollars(h.averagePrice), qty: String(h.t1Quantity), side: 'buy', symbol: h.symbol, leaves_qty: '0', order_id: `seed-${i}`, cum_qty: String(h.t1Quantity), order_status: 'filled' }));
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const replacedBy = new Map<string, string>();
  const replaces = new Map<string, string>();
  const tifById = new Map<string, string>();
  const held = new Set<string>();
  const arrivals: number[] = [];
  const groups = new AlpacaOrderGroups(exchange);
  const trailing = new AlpacaTrailingStops(exchange);
  /** Changes made while this is set are not streamed (a trailing stop's stop moving). */
  let quiet = false;
  const quietly = (fn: () => void) => {
    quiet = true;
    try {
      fn();
    } finally {
      quiet = false;
    }
  };
  const typeWord = (o: SimOrder) => (trailing.isTrailing(o.id) ? 'trailing_stop' : Object.entries(TYPES).find(([, v]) => v === o.type)![0]);

  const statusOf = (o: SimOrder) => {
    if (o.statusOverride) return o.statusOverride;
    if (groups.isHeld(o.id)) return 'held';
    if (replacedBy.has(o.id)) return 'replaced';
    if (o.phase === 'open' && o.filled > 0) return 'partially_filled';
    return PHASE_WORDS[o.phase];
  };
  /** An order as Alpaca shows it; `nested`: a parent's legs inside it (else they are rows of their own). */
  const orderRow = (o: SimOrder, nested = true): Record<string, unknown> => ({
    id: o.id,
    client_order_id: o.clientRef ?? '',
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
    submitted_at: iso(o.createdAt),
    filled_at: o.phase === 'complete' ? iso(o.updatedAt) : null,
    expired_at: null,
    canceled_at: o.phase === 'cancelled' ? iso(o.updatedAt) : null,
    failed_at: o.phase === 'rejected' ? iso(o.updatedAt) : null,
    replaced_at: replacedBy.has(o.id) ? iso(o.updatedAt) : null,
    replaced_by: replacedBy.get(o.id) ?? null,
    replaces: replaces.get(o.id) ?? null,
    asset_id: `asset-${o.symbol}`,
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: String(o.quantity),
    filled_qty: String(o.filled),
    filled_avg_price: o.filled ? String(exchange.averagePrice(o) / 100) : null,
    order_class: groups.classOf(o.id),
    order_type: typeWord(o),
    type: typeWord(o),
    side: o.side === 'BUY' ? 'buy' : 'sell',
    position_intent: o.side === 'BUY' ? 'buy_to_open' : 'sell_to_close',
    time_in_force: tifById.get(o.id) ?? 'day',
    limit_price: o.price ? dollars(o.price) : null,
    stop_price: o.trigger ? dollars(o.trigger) : null,
    status: statusOf(o),
    extended_hours: false,
    legs: nested && groups.legsOf(o.id).length ? groups.legsOf(o.id).map((id) => orderRow(exchange.order(id)!)) : null,
    ...trailing.fields(o.id),
    subtag: null,
    source: null,
    expires_at: null,
  });
  const fillRow = (t: SimTrade) => {
    const o = exchange.order(t.orderId)!;
    return { id: t.id, activity_type: 'FILL', transaction_time: iso(t.at), type: o.filled === o.quantity ? 'fill' : 'partial_fill', price: String(t.price / 100), qty: String(t.quantity), side: t.side === 'BUY' ? 'buy' : 'sell', symbol: t.symbol, leaves_qty: String(o.quantity - o.filled), order_id: t.orderId, cum_qty: String(o.filled), order_status: statusOf(o) };
  };
  const instrument = (symbol: string) => exchange.instruments.find((i) => i.symbol === symbol);

  const jsonBody = (req: EmulatorRequest): Record<string, unknown> => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw problem(400, 40010000, 'request body format is invalid');
    try {
      const body = JSON.parse(req.body) as unknown;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      return body as Record<string, unknown>;
    } catch {
      throw problem(400, 40010000, 'request body format is invalid');
    }
  };
  const onlyFields = (body: Record<string, unknown>, allowed: readonly string[]) => {
    for (const k of Object.keys(body)) if (!allowed.includes(k)) throw problem(422, 40010001, `unknown field ${k}`);
  };
  const oneOf = (body: Record<string, unknown>, field: string, values: readonly string[]) => {
    const v = body[field];
    if (typeof v !== 'string' || !values.includes(v)) throw problem(422, 40010001, `invalid ${field}`);
    return v;
  };
  /** Alpaca takes decimals as strings; prices at or above $1 in whole cents. */
  const cents = (body: Record<string, unknown>, field: string): number => {
    const v = body[field];
    if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v)) throw problem(422, 40010001, `invalid ${field}`);
    const c = Number(v) * 100;
    if (Math.abs(c - Math.round(c)) > 1e-6) throw problem(422, 42210000, `invalid ${field} ${v}. sub-penny increment does not fulfill minimum pricing criteria`);
    return Math.round(c);
  };
  const quantity = (body: Record<string, unknown>, field = 'qty'): number => {
    const v = body[field];
    if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw problem(422, 40010001, `invalid ${field}`);
    if (!Number.isInteger(Number(v))) throw problem(422, 40010001, 'fractional orders must be market or limit day orders');
    return Number(v);
  };
  const existing = (id: string) => {
    const o = exchange.order(id);
    if (!o) throw problem(404, 40410000, 'order not found');
    return o;
  };
  const accept = (id: string) => {
    const o = exchange.order(id);
    if (!o || o.phase !== 'received' || held.has(id)) return;
    exchange.accept(id);
  };
  const buyingPower = () => exchange.cash - exchange.blockedCash();

  const routes: EmulatorRoute[] = [
    {
      method: 'GET',
      pattern: /^\/v2\/account$/,
      cls: 'api',
      handle: () => ({ id: accountId, account_number: accountNumber, status: 'ACTIVE', crypto_status: 'INACTIVE', currency: 'USD', cash: dollars(exchange.cash), buying_power: dollars(buyingPower()), regt_buying_power: dollars(buyingPower()), daytrading_buying_power: '0', non_marginable_buying_power: dollars(buyingPower()), portfolio_value: dollars(exchange.cash), equity: dollars(exchange.cash), last_equity: dollars(exchange.cash), multiplier: '1', pattern_day_trader: false, trading_blocked: false, transfers_blocked: false, account_blocked: false, shorting_enabled: false, created_at: iso(startedAt) }),
    },
    {
      method: 'GET',
      pattern: /^\/v2\/assets\/([^/]+)$/,
      cls: 'api',
      handle(_req, m) {
        const inst = instrument(decodeURIComponent(m[1]!));
        if (!inst) throw problem(404, 40410000, 'asset not found');
        return { id: `asset-${inst.symbol}`, class: 'us_equity', exchange: inst.exchange, symbol: inst.symbol, name: inst.name, status: 'active', tradable: true, marginable: true, shortable: true, easy_to_borrow: true, fractionable: true, maintenance_margin_requirement: 30, attributes: [] };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/stocks\/snapshots$/,
      cls: 'data',
      handle(req) {
        const symbols = (req.query.get('symbols') ?? '').split(',').filter(Boolean);
        if (symbols.length === 0) throw problem(400, 40010001, 'symbols is required');
        const feed = req.query.get('feed');
        if (feed !== null && !['iex', 'sip', 'otc', 'delayed_sip'].includes(feed)) throw problem(400, 40010001, 'invalid feed');
        const out: Record<string, unknown> = {};
        for (const s of symbols) {
          const i = instrument(s);
          if (!i) continue;
          const t = iso(now());
          out[s] = { latestTrade: { t, x: 'V', p: i.last / 100, s: 100, c: ['@'], i: 1, z: 'C' }, latestQuote: { t, ax: 'V', ap: i.ask / 100, as: 2, bx: 'V', bp: i.bid / 100, bs: 3, c: ['R'], z: 'C' }, minuteBar: null, dailyBar: { t, o: i.close / 100, h: i.ask / 100, l: i.bid / 100, c: i.last / 100, v: i.volume, n: 1000, vw: i.last / 100 }, prevDailyBar: { t, o: i.close / 100, h: i.close / 100, l: i.close / 100, c: i.close / 100, v: i.volume, n: 1000, vw: i.close / 100 } };
        }
        return out;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/positions$/,
      cls: 'api',
      handle: () =>
        exchange.instruments.flatMap((i) => {
          const qty = exchange.ownedQuantity(i.exchange, i.symbol);
          if (qty <= 0) return [];
          const h = exchange.holdings.find((x) => x.symbol === i.symbol);
          const buys = exchange.trades.filter((t) => t.symbol === i.symbol && t.side === 'BUY');
          const held = h ? h.quantity + h.t1Quantity : 0;
          const cost = (h ? h.averagePrice * held : 0) + buys.reduce((a, t) => a + t.price * t.quantity, 0);
          const bought = held + buys.reduce((a, t) => a + t.quantity, 0);
          const avg = bought ? cost / bought : 0;
          return [{ asset_id: `asset-${i.symbol}`, symbol: i.symbol, exchange: i.exchange, asset_class: 'us_equity', asset_marginable: true, qty: String(qty), qty_available: String(qty), avg_entry_price: String(avg / 100), side: 'long', market_value: dollars(qty * i.last), cost_basis: dollars(Math.round(qty * avg)), unrealized_pl: dollars(Math.round(qty * (i.last - avg))), unrealized_plpc: '0', unrealized_intraday_pl: '0', unrealized_intraday_plpc: '0', current_price: dollars(i.last), lastday_price: dollars(i.close), change_today: '0' }];
        }),
    },
    {
      method: 'GET',
      pattern: /^\/v2\/account\/activities\/FILL$/,
      cls: 'api',
      handle(req) {
        const date = req.query.get('date');
        if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw problem(422, 40010001, 'invalid date');
        return [...seededFills, ...exchange.trades.map(fillRow)];
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/orders$/,
      cls: 'api',
      handle(req) {
        const status = req.query.get('status') ?? 'open';
        if (!['open', 'closed', 'all'].includes(status)) throw problem(422, 40010001, 'invalid status');
        const limit = Number(req.query.get('limit') ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw problem(422, 40010001, 'invalid limit');
        const nested = req.query.get('nested') === 'true';
        const open = new Set(['pending_new', 'new', 'partially_filled', 'accepted', 'held', 'pending_cancel', 'pending_replace', 'done_for_day', 'stopped', 'suspended', 'calculated', 'accepted_for_bidding', 'pending_review']);
        return exchange
          .orders()
          .filter((o) => (status === 'all' || open.has(statusOf(o)) === (status === 'open')) && !(nested && groups.isLeg(o.id)))
          .reverse()
          .slice(0, limit)
          .map((o) => orderRow(o, nested));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/orders:by_client_order_id$/,
      cls: 'api',
      handle(req) {
        const id = req.query.get('client_order_id');
        if (!id) throw problem(422, 40010001, 'client_order_id is required');
        const o = exchange.findByClientRef(id);
        if (!o) throw problem(404, 40410000, 'order not found');
        return orderRow(o);
      },
    },
    { method: 'GET', pattern: /^\/v2\/orders\/([^/:]+)$/, cls: 'api', handle: (req, m) => orderRow(existing(decodeURIComponent(m[1]!)), req.query.get('nested') === 'true') },
    {
      method: 'POST',
      pattern: /^\/v2\/orders$/,
      cls: 'orders',
      placement: true,
      handle(req) {
        const body = jsonBody(req);
        onlyFields(body, PLACE_FIELDS);
        if (typeof body.symbol !== 'string' || !body.symbol) throw problem(422, 40010001, 'symbol is required');
        const inst = instrument(body.symbol);
        if (!inst) throw problem(422, 40010001, `asset "${body.symbol}" not found`);
        if (body.notional !== undefined) throw problem(422, 40010001, 'notional orders are not expected here');
        const qty = quantity(body);
        const side = oneOf(body, 'side', ['buy', 'sell']);
        const type = oneOf(body, 'type', ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']);
        const tif = oneOf(body, 'time_in_force', ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']);
        const trail = trailing.parse(body, type, tif, cents);
        if (body.extended_hours !== undefined && typeof body.extended_hours !== 'boolean') throw problem(422, 40010001, 'invalid extended_hours');
        // An OCO's limit is its take_profit's: a limit_price of its own is optional.
        const oco = body.order_class === 'oco';
        const needsLimit = (type === 'limit' && !oco) || type === 'stop_limit';
        const needsStop = type === 'stop' || type === 'stop_limit';
        if (!(oco && type === 'limit') && needsLimit !== (body.limit_price !== undefined && body.limit_price !== null)) throw problem(422, 40010001, needsLimit ? 'limit_price is required' : `limit_price must not be set for ${type} orders`);
        if (needsStop !== (body.stop_price !== undefined && body.stop_price !== null)) throw problem(422, 40010001, needsStop ? 'stop_price is required' : `stop_price must not be set for ${type} orders`);
        let price = needsLimit ? cents(body, 'limit_price') : 0;
        const trigger = needsStop ? cents(body, 'stop_price') : trail ? trailing.firstStop(trail, side === 'buy' ? 'BUY' : 'SELL', inst) : 0;
        const linked = groups.parse(body, { type, side, tif, limit: price, inst }, cents);
        if (linked?.orderClass === 'oco') price = linked.takeProfit;
        const clientRef = body.client_order_id === undefined ? randomBytes(16).toString('hex') : body.client_order_id;
        if (typeof clientRef !== 'string' || clientRef.length === 0 || clientRef.length > 128) throw problem(422, 40010001, 'client_order_id must be at most 128 characters');
        if (exchange.findByClientRef(clientRef)) throw problem(422, 40010001, 'client_order_id must be unique');
        if (side === 'buy' && (price || inst.ask) * qty > buyingPower()) throw problem(403, 40310000, 'insufficient buying power');
        if (side === 'sell') {
          const committed = exchange.orders().filter((o) => o.symbol === inst.symbol && o.side === 'SELL' && ['received', 'open', 'trigger_pending'].includes(o.phase) && !groups.reservedElsewhere(o.id)).reduce((a, o) => a + o.quantity - o.filled, 0);
          const available = exchange.ownedQuantity(inst.exchange, inst.symbol) - committed;
          if (qty > available) throw problem(403, 40310000, `insufficient qty available for order (requested: ${qty}, available: ${Math.max(0, available)})`);
        }
        try {
          const id = exchange.place({ symbol: inst.symbol, exchange: inst.exchange, side: side === 'buy' ? 'BUY' : 'SELL', type: TYPES[type]!, product: 'delivery', validity: tif === 'ioc' ? 'IOC' : 'DAY', quantity: qty, price, trigger, clientRef });
          tifById.set(id, tif);
          if (trail) trailing.start(id, trail, side === 'buy' ? 'BUY' : 'SELL', inst);
          if (linked) groups.place(exchange.order(id)!, linked, () => randomBytes(16).toString('hex'));
          later(() => accept(id), options.statusStepMs ?? 2);
          return orderRow(exchange.order(id)!);
        } catch (err) {
          if (err instanceof SimRefusal) throw problem(422, 40010001, err.message);
          throw err;
        }
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/v2\/orders\/([^/:]+)$/,
      cls: 'orders',
      handle(req, m) {
        const id = decodeURIComponent(m[1]!);
        const old = existing(id);
        const body = jsonBody(req);
        onlyFields(body, REPLACE_FIELDS);
        if (groups.classOf(id) !== '') throw problem(422, 42210000, 'orders of a bracket or oco cannot be replaced here');
        if (trailing.isTrailing(id)) throw problem(422, 42210000, 'trailing_stop orders cannot be replaced here');
        if (!['received', 'open', 'trigger_pending'].includes(old.phase) || replacedBy.has(id)) throw problem(422, 42210000, 'order is not replaceable');
        const qty = body.qty === undefined ? old.quantity - old.filled : quantity(body);
        const price = body.limit_price === undefined ? old.price : cents(body, 'limit_price');
        const trigger = body.stop_price === undefined ? old.trigger : cents(body, 'stop_price');
        if (body.limit_price !== undefined && old.type !== 'LIMIT' && old.type !== 'SL') throw problem(422, 40010001, 'limit_price cannot be set on this order');
        const clientRef = typeof body.client_order_id === 'string' ? body.client_order_id : randomBytes(16).toString('hex');
        if (exchange.findByClientRef(clientRef)) throw problem(422, 40010001, 'client_order_id must be unique');
        const tif = body.time_in_force === undefined ? (tifById.get(id) ?? 'day') : oneOf(body, 'time_in_force', ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']);
        // The replacement is booked before the old order ends, so the old one's update already names it.
        const next = exchange.place({ symbol: old.symbol, exchange: old.exchange, side: old.side, type: old.type, product: 'delivery', validity: tif === 'ioc' ? 'IOC' : 'DAY', quantity: qty, price, trigger, clientRef });
        tifById.set(next, tif);
        replacedBy.set(id, next);
        replaces.set(next, id);
        exchange.cancel(id);
        exchange.accept(next);
        return orderRow(exchange.order(next)!);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v2\/orders\/([^/:]+)$/,
      cls: 'orders',
      handle(_req, m) {
        const id = decodeURIComponent(m[1]!);
        const o = existing(id);
        if (!['received', 'open', 'trigger_pending'].includes(o.phase)) throw problem(422, 42210000, `order is ${statusOf(o)}, not cancelable`);
        exchange.cancel(id);
        throw new WireError(204, '');
      },
    },
  ];

  const limit = options.requestsPerMinute ?? 200;
  const dialect: WireDialect = {
    authenticate(req) {
      const key = req.headers['apca-api-key-id'];
      const secret = req.headers['apca-api-secret-key'];
      if (key !== keyId || secret !== secretKey) throw problem(401, 40110000, 'request is not authorized');
      const t = now();
      while (arrivals.length && arrivals[0]! <= t - 60_000) arrivals.shift();
      arrivals.push(t);
      if (arrivals.length > limit) throw new WireError(429, { code: 42910000, message: 'rate limit exceeded' }, { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil((arrivals[0]! + 60_000) / 1000)) });
    },
    ok: (data) => ({ status: 200, body: data }),
    error(err) {
      if (err instanceof SimRefusal) return { status: err.kind === 'not_found' ? 404 : 422, body: { code: err.kind === 'not_found' ? 40410000 : 42210000, message: err.message } };
      return { status: 500, body: { code: 50010000, message: `internal server error: ${(err as Error).message}` } };
    },
    rateLimited: () => ({ status: 429, body: { code: 42910000, message: 'rate limit exceeded' }, headers: { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': '0' } }),
    serverError: () => ({ status: 503, body: { code: 50310000, message: 'service unavailable' } }),
  };

  const server = await startEmulatorServer({
    routes,
    dialect,
    streamPath: '/stream',
    onStreamClient: (ws: WebSocket) => {
      // Nothing is sent to a connection until it authenticated and listens to trade_updates.
      server.stream.clients.delete(ws);
      let authorized = false;
      ws.on('message', (data: Buffer) => {
        let msg: { action?: string; data?: { key_id?: string; secret_key?: string; streams?: string[] } };
        try {
          msg = JSON.parse(data.toString('utf8')) as typeof msg;
        } catch {
          ws.send(Buffer.from(JSON.stringify({ stream: 'error', data: { error_message: 'invalid syntax' } })));
          return;
        }
        if (msg.action === 'authenticate') {
          authorized = msg.data?.key_id === keyId && msg.data?.secret_key === secretKey;
          ws.send(Buffer.from(JSON.stringify({ stream: 'authorization', data: { action: 'authenticate', status: authorized ? 'authorized' : 'unauthorized' } })));
          if (!authorized) ws.close();
        } else if (msg.action === 'listen') {
          if (!authorized) return void ws.send(Buffer.from(JSON.stringify({ stream: 'authorization', data: { action: 'listen', status: 'unauthorized' } })));
          const streams = msg.data?.streams ?? [];
          ws.send(Buffer.from(JSON.stringify({ stream: 'listening', data: { streams: streams.filter((s) => s === 'trade_updates') } })));
          if (streams.includes('trade_updates')) server.stream.clients.add(ws);
        }
      });
    },
    now: options.now,
  });
  const eventOf = (o: SimOrder, change: 'status' | 'fill' | 'modify'): string => {
    if (change === 'fill') return 'partial_fill';
    const word = statusOf(o);
    return ({ pending_new: 'pending_new', new: 'new', filled: 'fill', canceled: 'canceled', rejected: 'rejected', replaced: 'replaced', pending_cancel: 'pending_cancel', pending_replace: 'pending_replace', expired: 'expired', accepted: 'accepted', held: 'new' } as Record<string, string>)[word] ?? 'restated';
  };
  const unsubscribe = exchange.onChange((o, change) => {
    if (quiet) return;
    const last = exchange.trades.findLast((t) => t.orderId === o.id);
    const event = eventOf(o, change);
    const data: Record<string, unknown> = { event, timestamp: iso(o.updatedAt), order: orderRow(o) };
    if ((event === 'fill' || event === 'partial_fill') && last) Object.assign(data, { execution_id: last.id, price: String(last.price / 100), qty: String(last.quantity), position_qty: String(exchange.ownedQuantity(o.exchange, o.symbol)) });
    server.stream.send(Buffer.from(JSON.stringify({ stream: 'trade_updates', data })));
  });
  // Heard after the stream's report of the same change: a leg's fill is streamed before the cancel of its sibling.
  const unsubscribeGroups = exchange.onChange((o, change) => groups.react(o, change));

  const matchInterval = options.matchIntervalMs ?? 20;
  const tick = () => {
    trailing.move(quietly);
    exchange.match();
  };
  const matcher = matchInterval > 0 ? setInterval(tick, matchInterval) : undefined;

  return {
    url: server.url,
    wsUrl: server.wsUrl,
    get keyId() {
      return keyId;
    },
    get secretKey() {
      return secretKey;
    },
    accountNumber,
    exchange,
    server,
    revokeKeys() {
      keyId = `PKREVOKED${randomBytes(6).toString('hex')}`;
      secretKey = randomBytes(20).toString('hex');
    },
    statusOf,
    tick,
    setStatus(id, word) {
      held.add(id);
      exchange.override(id, word);
    },
    async close() {
      if (matcher) clearInterval(matcher);
      unsubscribe();
      unsubscribeGroups();
      for (const t of timers) clearTimeout(t);
      await server.close();
    },
  };
}
