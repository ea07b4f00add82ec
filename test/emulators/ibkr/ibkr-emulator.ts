import { randomBytes } from 'node:crypto';
import { addBusinessDays } from '../../../src/market/calendar/business-days.js';
import { exchangeLocalTime, tradingDate } from '../../../src/market/exchange-time.js';
import type { IncomingMessage } from 'node:http';
import { type EmulatorRequest, type EmulatorRoute, type EmulatorServer, startEmulatorServer, WireError, type WireDialect } from '../exchange/emulator-server.js';
import { type SimHolding, type SimInstrument, type SimOrder, type SimOrderType, SimExchange, SimRefusal, SIM_US_INSTRUMENTS, type SimTrade } from '../exchange/sim-exchange.js';

/**
 * A strict Client Portal Gateway over the shared SimExchange (US equities, cents): the session a
 * browser login opens (`/iserver/auth/status`, `/tickle`, `/iserver/reauthenticate`, `/logout`),
 * accounts, `/trsrv/stocks` conids, market-data snapshots with their pre-flight, positions and the
 * ledger, the order book with its pre-flight, trades (`days`), placement with order reply
 * messages, modify, cancel, and the WebSocket with `sor`/`str` topics behind the session cookie.
 * It refuses what the gateway refuses: calls without an authenticated session (401), a JSON body
 * that is not the documented shape (unknown fields, enums, a bare array where `{"orders":[…]}` is
 * expected), a `/portfolio` call before `/portfolio/accounts`, order calls before
 * `/iserver/accounts`, a cOID already used, more than 10 requests a second.
 *
 * Bodies of refusals (`{"error": …}`) and the pre-flight's `snapshot: false` follow IBKR's shapes
 * as far as they are documented; the exact words are stand-ins (see src/brokers/ibkr/wire-facts.ts).
 */
export interface IbkrEmulatorOptions {
  cash?: number;
  holdings?: SimHolding[];
  instruments?: SimInstrument[];
  partialFills?: boolean;
  account?: string;
  /** The gateway is logged in from the start (false: a test logs in with `browserLogin`). */
  authenticated?: boolean;
  /** Calls per rolling second in all (the gateway's 10); null: not limited. */
  perSecond?: number | null;
  /** Order reply messages asked before an order is booked (default: IBKR's market- and stop-order notices). */
  questions?: (ticket: Record<string, unknown>) => { messageIds: string[]; message: string }[];
  /** Matching pass interval; 0 = only when the test fills orders itself. */
  matchIntervalMs?: number;
}

export interface IbkrEmulator {
  url: string;
  wsUrl: string;
  account: string;
  exchange: SimExchange;
  server: EmulatorServer;
  /** A login on the gateway's page in a browser: a good one authenticates the brokerage session. */
  browserLogin(good: boolean): void;
  /** The brokerage session ends (the nightly reset, a login elsewhere): calls get 401. */
  expireSession(): void;
  /** Another session takes over the username (`competing: true`). */
  compete(): void;
  /** Order reply answers received: id → confirmed. */
  replies(): { id: string; confirmed: boolean }[];
  statusOf(order: SimOrder): string;
  setStatus(id: string, word: string): void;
  close(): Promise<void>;
}

export const MARKET_ORDER_NOTICE = { messageIds: ['o10151'], message: 'You are about to submit a market order. Please be aware of the risks associated with market orders. Are you sure you want to submit this order?' };
export const STOP_ORDER_NOTICE = { messageIds: ['o10331'], message: 'You are about to submit a stop order. Please be aware of the various stop order types available and the risks associated with each one.\nAre you sure you want to submit this order?' };

const defaultQuestions = (ticket: Record<string, unknown>) => (ticket.orderType === 'MKT' ? [MARKET_ORDER_NOTICE] : ticket.orderType === 'STP' || ticket.orderType === 'STOP_LIMIT' ? [STOP_ORDER_NOTICE] : []);

const TYPES: Record<string, SimOrderType> = { MKT: 'MARKET', LMT: 'LIMIT', STP: 'SL-M', STOP_LIMIT: 'SL' };
const ORIG_TYPE: Record<SimOrderType, string> = { MARKET: 'MARKET', LIMIT: 'LIMIT', 'SL-M': 'STOP', SL: 'STOP_LIMIT' };
const TYPE_WORD: Record<SimOrderType, string> = { MARKET: 'Market', LIMIT: 'Limit', 'SL-M': 'Stop', SL: 'Stop Limit' };
const TICKET_FIELDS = ['acctId', 'conid', 'conidex', 'secType', 'cOID', 'parentId', 'orderType', 'listingExchange', 'isSingleGroup', 'outsideRTH', 'price', 'auxPrice', 'side', 'ticker', 'tif', 'trailingAmt', 'trailingType', 'referrer', 'quantity', 'cashQty', 'fxQty', 'useAdaptive', 'isCcyConv', 'allocationMethod', 'strategy', 'strategyParameters'];

const dollars = (cents: number) => Number((cents / 100).toFixed(4));
const listing = (i: Pick<SimInstrument, 'exchange'>) => (i.exchange === 'NASDAQ' ? 'NASDAQ.NMS' : 'NYSE');
const refusal = (status: number, error: string) => new WireError(status, { error, statusCode: status });
const pad = (n: number) => String(n).padStart(2, '0');
/** The previous weekday's 15:00 New York time (20:00 UTC), for executions of shares still settling. */
/**
 * 15:00 New York time on the NYSE business day before the one containing `now`. Counted in New
 * York days, not UTC days: between midnight UTC and midnight in New York the UTC date is already
 * the next day, and a "yesterday" in UTC would be today's session there.
 */
export function previousSessionAfternoon(now: number): number {
  const day = addBusinessDays('NYSE', tradingDate('NYSE', now), -1);
  return exchangeLocalTime('NYSE', Date.parse(`${day}T17:00:00Z`), 15 * 60);
}

export async function startIbkrEmulator(options: IbkrEmulatorOptions = {}): Promise<IbkrEmulator> {
  const account = options.account ?? 'DU1234567';
  const instruments = options.instruments ?? [...SIM_US_INSTRUMENTS];
  const exchange = new SimExchange({ instruments, cash: options.cash, holdings: options.holdings ?? [{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000 }], partialFills: options.partialFills });
  let authenticated = options.authenticated ?? true;
  let competing = false;
  let session = randomBytes(16).toString('hex');
  /** What the session has been asked for: IBKR requires some calls before others. */
  let asked = new Set<string>();
  let streamingConids = new Set<number>();
  const pending = new Map<string, { ticket: Record<string, unknown>; questions: { messageIds: string[]; message: string }[] }>();
  const answered: { id: string; confirmed: boolean }[] = [];
  const held = new Set<string>();
  const usedCoids = new Set<string>();
  const questions = options.questions ?? defaultQuestions;
  const byConid = (conid: unknown) => exchange.instruments.find((i) => i.token === Number(conid));
  const instrumentOf = (o: { exchange: string; symbol: string }) => exchange.instrument(o.exchange, o.symbol)!;

  const statusOf = (o: SimOrder): string => {
    if (o.statusOverride) return o.statusOverride;
    switch (o.phase) {
      case 'received':
        return 'PendingSubmit';
      case 'open':
        return 'Submitted';
      case 'trigger_pending':
      case 'amo':
        return 'PreSubmitted';
      case 'complete':
        return 'Filled';
      case 'cancelled':
        return 'Cancelled';
      case 'rejected':
        return 'Inactive';
    }
  };
  const orderRow = (o: SimOrder) => {
    const inst = instrumentOf(o);
    const status = statusOf(o);
    const row: Record<string, unknown> = {
      acct: account,
      conidex: String(inst.token),
      conid: inst.token,
      account,
      orderId: Number(o.id),
      cashCcy: 'USD',
      sizeAndFills: `${o.filled}/${o.quantity}`,
      orderDesc: `${o.side === 'BUY' ? 'Buy' : 'Sell'} ${o.quantity} ${TYPE_WORD[o.type]}${o.price ? ` ${dollars(o.price).toFixed(2)}` : ''}, ${o.validity}`,
      description1: o.symbol,
      ticker: o.symbol,
      secType: 'STK',
      listingExchange: listing(inst),
      remainingQuantity: o.quantity - o.filled - o.cancelled,
      filledQuantity: o.filled,
      totalSize: o.quantity,
      companyName: inst.name,
      status,
      order_ccp_status: status,
      origOrderType: ORIG_TYPE[o.type],
      supportsTaxOpt: '1',
      lastExecutionTime_r: o.updatedAt,
      orderType: TYPE_WORD[o.type],
      bgColor: '#FFFFFF',
      fgColor: '#000000',
      timeInForce: o.validity,
      side: o.side,
    };
    if (o.filled > 0) row.avgPrice = dollars(exchange.averagePrice(o)).toFixed(2);
    if (o.type === 'LIMIT' || o.type === 'SL') row.price = dollars(o.price).toFixed(2);
    if (o.type === 'SL' || o.type === 'SL-M') row.auxPrice = dollars(o.trigger).toFixed(2);
    if (o.clientRef) row.order_ref = o.clientRef;
    if (o.message) row.text = o.message;
    return row;
  };
  const tradeRow = (t: SimTrade) => {
    const inst = instrumentOf(t);
    const d = new Date(t.at);
    return {
      execution_id: `0000e0d5.${t.id}.01.01`,
      symbol: t.symbol,
      supports_tax_opt: '1',
      side: t.side === 'BUY' ? 'B' : 'S',
      order_description: `${t.side === 'BUY' ? 'Bot' : 'Sold'} ${t.quantity} @ ${dollars(t.price).toFixed(2)} on ISLAND`,
      trade_time: `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
      trade_time_r: t.at,
      size: t.quantity,
      price: dollars(t.price).toFixed(2),
      ...(t.clientRef ? { order_ref: t.clientRef } : {}),
      submitter: 'emu1234',
      exchange: 'ISLAND',
      commission: '1.00',
      net_amount: dollars(t.quantity * t.price),
      account,
      accountCode: account,
      account_allocation_name: account,
      company_name: inst.name,
      contract_description_1: t.symbol,
      sec_type: 'STK',
      listing_exchange: listing(inst),
      conid: inst.token,
      conidEx: String(inst.token),
      clearing_id: 'IB',
      clearing_name: 'IB',
      liquidation_trade: '0',
      is_event_trading: '0',
    };
  };
  /** Shares of the seeded holdings still settling, shown as yesterday's executions. */
  const settlingTrades = (): SimTrade[] =>
    exchange.holdings
      .filter((h) => h.t1Quantity > 0)
      .map((h, n) => ({ id: `${40_000_000 + n}`, orderId: `${240_000_000 + n}`, symbol: h.symbol, exchange: h.exchange, side: 'BUY' as const, product: 'delivery' as const, quantity: h.t1Quantity, price: Math.round(h.averagePrice), at: previousSessionAfternoon(Date.now()) }));

  const jsonBody = (req: EmulatorRequest): unknown => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw refusal(415, 'Content-Type must be application/json');
    try {
      return JSON.parse(req.body) as unknown;
    } catch {
      throw refusal(400, 'Request body is not valid JSON');
    }
  };
  const needAsked = (what: string, why: string) => {
    if (!asked.has(what)) throw refusal(400, why);
  };
  const needAccount = (acct: string) => {
    if (acct !== account) throw refusal(400, `Account ${acct} is not a valid account for this user`);
  };
  /** A ticket as placed or modified: the documented fields only, with their types and enums. */
  const checkTicket = (t: unknown): Record<string, unknown> => {
    if (!t || typeof t !== 'object' || Array.isArray(t)) throw refusal(400, 'each order must be a JSON object');
    const ticket = t as Record<string, unknown>;
    for (const k of Object.keys(ticket)) if (!TICKET_FIELDS.includes(k)) throw refusal(400, `unknown order field "${k}"`);
    if (typeof ticket.conid !== 'number' || !byConid(ticket.conid)) throw refusal(400, `invalid conid ${String(ticket.conid)}`);
    if (typeof ticket.orderType !== 'string' || !TYPES[ticket.orderType]) throw refusal(400, `invalid orderType ${String(ticket.orderType)}`);
    if (ticket.side !== 'BUY' && ticket.side !== 'SELL') throw refusal(400, `invalid side ${String(ticket.side)}`);
    if (ticket.tif !== 'DAY' && ticket.tif !== 'IOC' && ticket.tif !== 'GTC') throw refusal(400, `invalid tif ${String(ticket.tif)}`);
    if (typeof ticket.quantity !== 'number' || !Number.isInteger(ticket.quantity) || ticket.quantity <= 0) throw refusal(400, `invalid quantity ${String(ticket.quantity)}`);
    if (ticket.acctId !== undefined) needAccount(String(ticket.acctId));
    if (ticket.listingExchange !== undefined && ticket.listingExchange !== 'SMART') throw refusal(400, `this gateway routes SMART only, not ${String(ticket.listingExchange)}`);
    for (const k of ['price', 'auxPrice'] as const) if (ticket[k] !== undefined && (typeof ticket[k] !== 'number' || !((ticket[k] as number) > 0))) throw refusal(400, `invalid ${k}`);
    const type = TYPES[ticket.orderType]!;
    if (type === 'MARKET' && (ticket.price !== undefined || ticket.auxPrice !== undefined)) throw refusal(400, 'a market order takes no price');
    if (type === 'LIMIT' && (ticket.price === undefined || ticket.auxPrice !== undefined)) throw refusal(400, 'a limit order takes a price and no auxPrice');
    if (type === 'SL-M' && (ticket.price === undefined || ticket.auxPrice !== undefined)) throw refusal(400, 'a stop order takes its stop as price');
    if (type === 'SL' && (ticket.price === undefined || ticket.auxPrice === undefined)) throw refusal(400, 'a stop-limit order takes price (limit) and auxPrice (stop)');
    if (ticket.cOID !== undefined && (typeof ticket.cOID !== 'string' || ticket.cOID.length === 0 || ticket.cOID.length > 40)) throw refusal(400, 'invalid cOID');
    return ticket;
  };
  const cents = (d: unknown) => Math.round(Number(d ?? 0) * 100);
  const book = (ticket: Record<string, unknown>) => {
    const inst = byConid(ticket.conid)!;
    const type = TYPES[ticket.orderType as string]!;
    const cOID = ticket.cOID as string | undefined;
    if (cOID !== undefined) {
      if (usedCoids.has(cOID)) throw refusal(400, `Order couldn't be submitted: Local order ID=${cOID} is already registered.`);
      usedCoids.add(cOID);
    }
    try {
      const id = exchange.place({
        symbol: inst.symbol,
        exchange: inst.exchange,
        side: ticket.side as 'BUY' | 'SELL',
        type,
        product: 'delivery',
        validity: ticket.tif === 'IOC' ? 'IOC' : 'DAY',
        quantity: ticket.quantity as number,
        price: type === 'LIMIT' || type === 'SL' ? cents(ticket.price) : 0,
        trigger: type === 'SL-M' ? cents(ticket.price) : type === 'SL' ? cents(ticket.auxPrice) : 0,
        clientRef: cOID,
      });
      exchange.accept(id);
      return [{ order_id: id, order_status: statusOf(exchange.order(id)!), encrypt_message: '1' }];
    } catch (err) {
      if (err instanceof SimRefusal) throw refusal(400, err.message);
      throw err;
    }
  };
  /** The next order reply message of a ticket, or the booking. */
  const ask = (ticket: Record<string, unknown>, left: { messageIds: string[]; message: string }[]) => {
    if (left.length === 0) return book(ticket);
    const [q, ...rest] = left;
    const id = randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    pending.set(id, { ticket, questions: rest });
    return [{ id, message: [q!.message], isSuppressed: false, messageIds: q!.messageIds }];
  };
  const live = (id: string) => {
    const o = exchange.order(id);
    if (!o) throw refusal(404, `OrderID ${id} doesn't exist`);
    return o;
  };
  const SESSIONLESS = /^\/v1\/api\/(iserver\/auth\/status|tickle|iserver\/reauthenticate|logout)$/;

  const routes: EmulatorRoute[] = [
    ...(['GET', 'POST'] as const).map((method) => ({
      method,
      pattern: /^\/v1\/api\/iserver\/auth\/status$/,
      cls: 'gateway',
      handle: () => ({ authenticated, competing, connected: true, message: '', MAC: '00:00:5E:00:53:01', serverInfo: { serverName: 'EmuServer', serverVersion: 'Build 10.30.0, emulated' }, fail: '' }),
    })),
    ...(['GET', 'POST'] as const).map((method) => ({
      method,
      pattern: /^\/v1\/api\/tickle$/,
      cls: 'gateway',
      handle: () => ({ session, ssoExpires: 3_600_000, collission: competing, userId: 99996016, hmds: { error: 'no bridge' }, iserver: { authStatus: { authenticated, competing, connected: true, message: '', MAC: '00:00:5E:00:53:01', serverInfo: { serverName: 'EmuServer', serverVersion: 'Build 10.30.0, emulated' } } } }),
    })),
    { method: 'POST', pattern: /^\/v1\/api\/iserver\/reauthenticate$/, cls: 'gateway', handle: () => ({ message: 'triggered' }) },
    {
      method: 'POST',
      pattern: /^\/v1\/api\/logout$/,
      cls: 'gateway',
      handle: () => {
        authenticated = false;
        return { status: true };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/api\/iserver\/accounts$/,
      cls: 'gateway',
      handle: () => {
        asked.add('iserver/accounts');
        return { accounts: [account], acctProps: { [account]: { hasChildAccounts: false, supportsCashQty: true, supportsFractions: true } }, aliases: { [account]: account }, allowFeatures: {}, chartPeriods: {}, groups: [], profiles: [], selectedAccount: account, serverInfo: { serverName: 'EmuServer', serverVersion: 'Build 10.30.0, emulated' }, sessionId: session.slice(0, 8), isFT: false, isPaper: account.startsWith('D') };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/api\/portfolio\/accounts$/,
      cls: 'gateway',
      handle: () => {
        asked.add('portfolio/accounts');
        return [{ id: account, accountId: account, accountVan: account, accountTitle: 'Emulated PM', displayName: account, accountAlias: null, accountStatus: 1644814800000, currency: 'USD', type: account.startsWith('D') ? 'DEMO' : 'INDIVIDUAL', tradingType: 'STKCASH', businessType: 'IB_PROSERVE', ibEntity: 'IBLLC-US', faclient: false, clearingStatus: 'O', covestor: false, noClientTrading: false, trackVirtualFXPortfolio: true, brokerageAccess: true, parent: { mmc: [], accountId: '', isMParent: false, isMChild: false, isMultiplex: false }, desc: account }];
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/api\/trsrv\/stocks$/,
      cls: 'gateway',
      handle(req) {
        const symbols = (req.query.get('symbols') ?? '').split(',').filter(Boolean);
        if (symbols.length === 0) throw refusal(400, 'symbols is required');
        const out: Record<string, unknown> = {};
        for (const symbol of symbols) {
          const inst = exchange.instruments.find((i) => i.symbol === symbol && (i.exchange === 'NASDAQ' || i.exchange === 'NYSE'));
          out[symbol] = inst ? [{ name: inst.name, chineseName: null, assetClass: 'STK', contracts: [{ conid: inst.token, exchange: inst.exchange, isUS: true }, { conid: inst.token + 38_000_000, exchange: 'MEXI', isUS: false }] }] : [];
        }
        return out;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/api\/iserver\/marketdata\/snapshot$/,
      cls: 'gateway',
      handle(req) {
        const conids = (req.query.get('conids') ?? '').split(',').filter(Boolean).map(Number);
        if (conids.length === 0) throw refusal(400, 'conids is required');
        const fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
        return conids.map((conid) => {
          const inst = byConid(conid);
          // The first request for a conid only starts its stream (IBKR's pre-flight): no fields yet.
          if (!inst || !streamingConids.has(conid)) {
            if (inst) streamingConids.add(conid);
            return { conid, conidEx: String(conid) };
          }
          const all: Record<string, string> = { '31': dollars(inst.last).toFixed(2), '84': dollars(inst.bid).toFixed(2), '86': dollars(inst.ask).toFixed(2), '7762': String(inst.volume), '7741': dollars(inst.close).toFixed(2) };
          const row: Record<string, unknown> = { conid, conidEx: String(conid), _updated: Date.now(), server_id: `q${conid % 10}`, '6119': `q${conid % 10}`, '6509': 'RpB' };
          for (const f of fields) if (all[f] !== undefined) row[f] = all[f];
          return row;
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/api\/portfolio\/([A-Z0-9]+)\/positions\/(\d+)$/,
      cls: 'gateway',
      handle(_req, m) {
        needAccount(m[1]!);
        needAsked('portfolio/accounts', 'Please query /portfolio/accounts first');
        if (m[2] !== '0') return [];
        return exchange.instruments.flatMap((inst) => {
          const position = exchange.ownedQuantity(inst.exchange, inst.symbol);
          if (position === 0) return [];
          const h = exchange.holdings.find((x) => x.symbol === inst.symbol && x.exchange === inst.exchange);
          const day = exchange.dayPositions().find((p) => p.symbol === inst.symbol && p.exchange === inst.exchange);
          const held = h ? h.quantity + h.t1Quantity : 0;
          const avg = held + (day?.buyQuantity ?? 0) > 0 ? ((h?.averagePrice ?? 0) * held + (day?.buyValue ?? 0)) / (held + (day?.buyQuantity ?? 0)) : 0;
          return [{ acctId: account, conid: inst.token, contractDesc: inst.symbol, position, mktPrice: dollars(inst.last), mktValue: dollars(inst.last * position), currency: 'USD', avgCost: dollars(avg), avgPrice: dollars(avg), realizedPnl: 0, unrealizedPnl: dollars((inst.last - avg) * position), exchs: null, expiry: null, putOrCall: null, multiplier: 0, strike: '0', exerciseStyle: null, conExchMap: [], assetClass: 'STK', undConid: 0, model: '', time: 30, name: inst.name, listingExchange: inst.exchange, ticker: inst.symbol, isUS: true, type: 'COMMON', hasOptions: true, incrementRules: [{ lowerEdge: 0, increment: 0.01 }], displayRule: { magnification: 0, displayRuleStep: [{ decimalDigits: 2, lowerEdge: 0, wholeDigits: 4 }] }, sector: null, group: null, countryCode: 'US', pageSize: 100 }];
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/api\/portfolio\/([A-Z0-9]+)\/ledger$/,
      cls: 'gateway',
      handle(_req, m) {
        needAccount(m[1]!);
        needAsked('portfolio/accounts', 'Please query /portfolio/accounts first');
        const stock = exchange.instruments.reduce((sum, i) => sum + exchange.ownedQuantity(i.exchange, i.symbol) * i.last, 0);
        const entry = (currency: string) => ({ commoditymarketvalue: 0, futuremarketvalue: 0, settledcash: dollars(exchange.cash), exchangerate: 1, sessionid: 1, cashbalance: dollars(exchange.cash), corporatebondsmarketvalue: 0, warrantsmarketvalue: 0, netliquidationvalue: dollars(exchange.cash + stock), interest: 0, unrealizedpnl: 0, stockmarketvalue: dollars(stock), moneyfunds: 0, currency, realizedpnl: 0, funds: 0, acctcode: account, issueroptionsmarketvalue: 0, key: 'LedgerList', timestamp: Math.floor(Date.now() / 1000), severity: 0, stockoptionmarketvalue: 0, futuresonlypnl: 0, tbondsmarketvalue: 0, futureoptionmarketvalue: 0, cashbalancefxsegment: 0, secondkey: currency, tbillsmarketvalue: 0, dividends: 0 });
        return { USD: { ...entry('USD'), endofbundle: 1 }, BASE: entry('BASE') };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/api\/iserver\/account\/orders$/,
      cls: 'gateway',
      handle() {
        // IBKR's pre-flight: the session's first read starts the book and answers nothing yet.
        if (!asked.has('iserver/account/orders')) {
          asked.add('iserver/account/orders');
          return { orders: [], snapshot: false };
        }
        return { orders: exchange.orders().map(orderRow), snapshot: true };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/api\/iserver\/account\/trades$/,
      cls: 'gateway',
      handle(req) {
        const days = Number(req.query.get('days') ?? '1');
        if (!Number.isInteger(days) || days < 1 || days > 7) throw refusal(400, 'days must be 1 to 7');
        return [...(days > 1 ? settlingTrades() : []), ...exchange.trades].map(tradeRow);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/api\/iserver\/account\/([A-Z0-9]+)\/orders$/,
      cls: 'gateway',
      placement: true,
      handle(req, m) {
        needAccount(m[1]!);
        needAsked('iserver/accounts', 'Please query /iserver/accounts first');
        const body = jsonBody(req) as { orders?: unknown };
        if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray(body.orders) || Object.keys(body).length !== 1) throw refusal(400, 'the body must be {"orders": [ … ]}');
        if (body.orders.length !== 1) throw refusal(400, 'this gateway books one order at a time (brackets are not emulated)');
        const ticket = checkTicket(body.orders[0]);
        return ask(ticket, questions(ticket));
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/api\/iserver\/reply\/([0-9a-f-]+)$/,
      cls: 'gateway',
      handle(req, m) {
        const body = jsonBody(req) as { confirmed?: unknown };
        if (!body || typeof body !== 'object' || typeof body.confirmed !== 'boolean' || Object.keys(body).length !== 1) throw refusal(400, 'the body must be {"confirmed": true|false}');
        const reply = pending.get(m[1]!);
        if (!reply) throw refusal(400, `no pending reply ${m[1]}`);
        pending.delete(m[1]!);
        answered.push({ id: m[1]!, confirmed: body.confirmed });
        if (!body.confirmed) return [{ order_status: 'Cancelled', msg: 'Order was cancelled by the user' }];
        return ask(reply.ticket, reply.questions);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/api\/iserver\/account\/([A-Z0-9]+)\/order\/(\d+)$/,
      cls: 'gateway',
      handle(req, m) {
        needAccount(m[1]!);
        needAsked('iserver/accounts', 'Please query /iserver/accounts first');
        const o = live(m[2]!);
        const ticket = checkTicket(jsonBody(req));
        const inst = instrumentOf(o);
        if (ticket.conid !== inst.token || ticket.side !== o.side || (ticket.cOID !== undefined && ticket.cOID !== o.clientRef)) throw refusal(400, 'a modification must restate the order as placed (conid, side, cOID)');
        const type = TYPES[ticket.orderType as string]!;
        try {
          exchange.modify(o.id, { quantity: ticket.quantity as number, type, price: type === 'LIMIT' || type === 'SL' ? cents(ticket.price) : 0, trigger: type === 'SL-M' ? cents(ticket.price) : type === 'SL' ? cents(ticket.auxPrice) : 0 });
        } catch (err) {
          if (err instanceof SimRefusal) throw refusal(400, err.message);
          throw err;
        }
        return [{ order_id: o.id, order_status: statusOf(exchange.order(o.id)!), encrypt_message: '1' }];
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/api\/iserver\/account\/([A-Z0-9]+)\/order\/(\d+)$/,
      cls: 'gateway',
      handle(req, m) {
        needAccount(m[1]!);
        needAsked('iserver/accounts', 'Please query /iserver/accounts first');
        if (req.body) throw refusal(400, 'a cancellation takes no body');
        const o = live(m[2]!);
        try {
          exchange.cancel(o.id);
        } catch (err) {
          if (err instanceof SimRefusal) throw refusal(400, `OrderID ${o.id} cannot be cancelled: ${err.message}`);
          throw err;
        }
        return { msg: 'Request was submitted', order_id: Number(o.id), conid: instrumentOf(o).token, account };
      },
    },
  ];

  const dialect: WireDialect = {
    authenticate(req) {
      if (SESSIONLESS.test(req.path)) return;
      if (!authenticated || competing) throw refusal(401, 'not authenticated');
    },
    ok: (data) => ({ status: 200, body: data }),
    error(err) {
      if (err instanceof SimRefusal) return { status: err.kind === 'not_found' ? 404 : 400, body: { error: err.message, statusCode: 400 } };
      return { status: 500, body: { error: `internal error: ${(err as Error).message}`, statusCode: 500 } };
    },
    rateLimited: () => ({ status: 429, body: { error: 'Too many requests', statusCode: 429 } }),
    serverError: () => ({ status: 503, body: { error: 'Service Unavailable', statusCode: 503 } }),
  };

  const server = await startEmulatorServer({
    routes,
    dialect,
    limits: options.perSecond === null ? undefined : { gateway: options.perSecond ?? 10 },
    streamPath: '/v1/api/ws',
    authenticateStream(req: IncomingMessage) {
      const cookie = /(?:^|;\s*)api=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1];
      try {
        return authenticated && cookie !== undefined && (JSON.parse(decodeURIComponent(cookie)) as { session?: string }).session === session;
      } catch {
        return false;
      }
    },
  });

  // Fills go out as the execution (`str`) first, then the order (`sor`), as one session's socket would.
  const sentTrades = new Set<string>();
  const unsubscribe = exchange.onChange((o) => {
    for (const t of exchange.trades) {
      if (t.orderId !== o.id || sentTrades.has(t.id)) continue;
      sentTrades.add(t.id);
      server.stream.send({ topic: 'str', args: [tradeRow(t)] });
    }
    server.stream.send({ topic: 'sor', args: [orderRow(o)] });
  });

  const matchInterval = options.matchIntervalMs ?? 0;
  const matcher = matchInterval > 0 ? setInterval(() => exchange.match(), matchInterval) : undefined;
  const newSession = () => {
    session = randomBytes(16).toString('hex');
    asked = new Set();
    streamingConids = new Set();
  };

  return {
    url: `${server.url}/v1/api`,
    wsUrl: server.wsUrl,
    account,
    exchange,
    server,
    browserLogin(good) {
      // A failed login on the gateway's page leaves it logged out.
      authenticated = good;
      if (!good) return;
      competing = false;
      newSession();
    },
    expireSession() {
      authenticated = false;
      server.stream.send({ topic: 'sts', args: { authenticated: false, competing: false, message: '', fail: '', serverName: null, serverVersion: null, username: null } });
    },
    compete() {
      competing = true;
    },
    replies: () => [...answered],
    statusOf,
    setStatus(id, word) {
      held.add(id);
      exchange.override(id, word);
    },
    async close() {
      if (matcher) clearInterval(matcher);
      unsubscribe();
      await server.close();
    },
  };
}
