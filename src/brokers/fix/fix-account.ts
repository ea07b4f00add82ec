import { readFileSync } from 'node:fs';
import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import { toMinor } from '../../domain/money.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { BrokerTrade } from '../broker.js';
import { type FixField, type FixMessage, fixTimestamp } from './codec.js';
import type { FixSessionSettings, symbolCodec } from './config.js';
import { minorFromFix } from './fix-orders.js';
import type { FixRequests } from './fix-requests.js';
import { MSG, TAG } from './wire-facts.js';

export interface FixAccountDeps {
  session: string;
  broker: string;
  settings: FixSessionSettings;
  clock: Clock;
  requests: FixRequests;
  symbols: ReturnType<typeof symbolCodec>;
  /** This session's executions (the positions and cash of today come from them). */
  trades: () => BrokerTrade[];
  nextId: (prefix: string) => string;
}

/**
 * What a FIX 4.4 session says of the account and the market, where the counterparty offers it:
 * instruments by SecurityListRequest (x → y) or the config's list, quotes by MarketDataRequest
 * snapshots (V → W), start-of-day holdings by RequestForPositions (AN → AO, AP), and the
 * start-of-day cash from an account file (FIX 4.4 has no standard cash query). Today's trades
 * are this session's own executions.
 */
export class FixAccount {
  private catalog?: Promise<Map<string, Instrument>>;
  private readonly positionReports = new Map<string, FixMessage[]>();

  constructor(private readonly deps: FixAccountDeps) {}

  private get exchange(): Exchange {
    return this.deps.settings.exchange as Exchange;
  }

  async instruments(): Promise<Map<string, Instrument>> {
    this.catalog ??= this.loadInstruments().catch((err: unknown) => {
      this.catalog = undefined;
      throw err;
    });
    return this.catalog;
  }

  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const { settings, requests, symbols, clock } = this.deps;
    if (!settings.market_data) throw new BrokerError('unavailable', `FIX session ${this.deps.session} carries no market data (market_data: false): quotes must come from elsewhere`, this.deps.broker);
    const out: Quote[] = [];
    for (const inst of instruments) {
      if (inst.exchange !== this.exchange) continue;
      const id = this.deps.nextId('MD');
      const types: FixField[] = ['0', '1', '2'].map((t) => [TAG.MDEntryType, t]);
      const answer = await requests.request(`md:${id}`, MSG.MarketDataRequest, [[TAG.MDReqID, id], [TAG.SubscriptionRequestType, '0'], [TAG.MarketDepth, '1'], [TAG.NoMDEntryTypes, '3'], ...types, [TAG.NoRelatedSym, '1'], [TAG.Symbol, symbols.toFix(inst.symbol)]]);
      const entries = answer.groups(TAG.NoMDEntries, TAG.MDEntryType);
      const px = (type: string) => Math.round(minorFromFix(entries.find((e) => e.get(TAG.MDEntryType) === type)?.get(TAG.MDEntryPx)) ?? 0);
      const last = px('2') || Math.round((px('0') + px('1')) / 2);
      out.push({ symbol: inst.symbol, exchange: inst.exchange, bid: px('0') || last, ask: px('1') || last, last, volume: 0, ts: clock.now() });
    }
    return out;
  }

  /**
   * Start-of-day holdings: PositionReports where PosType SOD is what was owned at the start of
   * the day and DLV the part still awaiting delivery (T+1); or the account file.
   */
  async holdings(): Promise<Holding[]> {
    const { settings, requests, symbols, clock } = this.deps;
    if (settings.positions === 'account_file') return this.accountFile().holdings;
    const id = this.deps.nextId('POS');
    this.positionReports.set(id, []);
    const ack = await requests.request(`pos:${id}`, MSG.RequestForPositions, [
      [TAG.PosReqID, id],
      [TAG.PosReqType, '0'],
      ...(settings.account ? ([[TAG.Account, settings.account]] as FixField[]) : []),
      [TAG.AccountType, '1'],
      [TAG.ClearingBusinessDate, tradingDate(this.exchange, clock.now()).replaceAll('-', '')],
      [TAG.TransactTime, fixTimestamp(clock.now())],
    ]);
    const reports = this.positionReports.get(id) ?? [];
    this.positionReports.delete(id);
    if (ack.type === MSG.RequestForPositionsAck && ack.get(TAG.PosReqResult) === '2') return [];
    return reports.flatMap((r) => {
      const symbol = symbols.fromFix(r.get(TAG.Symbol) ?? '');
      if (!symbol) return [];
      const legs = r.groups(TAG.NoPositions, TAG.PosType);
      const qty = (type: string) => {
        const leg = legs.find((l) => l.get(TAG.PosType) === type);
        return (leg?.num(TAG.LongQty) ?? 0) - (leg?.num(TAG.ShortQty) ?? 0);
      };
      const owned = qty('SOD');
      const t1 = qty('DLV');
      if (owned === 0) return [];
      return [{ symbol, exchange: this.exchange, quantity: owned - t1, t1Quantity: t1, averagePrice: minorFromFix(r.get(TAG.SettlPrice)) ?? 0 }];
    });
  }

  /** A PositionReport (AP) or RequestForPositionsAck (AO): the last one settles the request. */
  onPositionMessage(m: FixMessage): void {
    const id = m.get(TAG.PosReqID) ?? '';
    const reports = this.positionReports.get(id);
    const key = `pos:${id}`;
    if (m.type === MSG.PositionReport) {
      reports?.push(m);
      if (reports && m.get(TAG.LastRptRequested) === 'Y') this.deps.requests.answer(key, { message: m });
      return;
    }
    const result = m.get(TAG.PosReqResult);
    if (result !== '0' && result !== '2') this.deps.requests.answer(key, { error: new BrokerError('unavailable', `the counterparty refused RequestForPositions: ${m.get(TAG.Text) ?? `PosReqResult ${result}`}`, this.deps.broker) });
    else if ((m.num(TAG.TotalNumPosReports) ?? 0) === 0 || (reports?.length ?? 0) >= (m.num(TAG.TotalNumPosReports) ?? 0)) this.deps.requests.answer(key, { message: m });
  }

  /** Today's net position per instrument, from this session's own executions (FIX reports no intraday book of trades). */
  positions(): Position[] {
    const bySymbol = new Map<string, { qty: number; value: number; bought: number }>();
    for (const t of this.todaysTrades()) {
      const p = bySymbol.get(t.symbol) ?? { qty: 0, value: 0, bought: 0 };
      p.qty += t.side === 'buy' ? t.quantity : -t.quantity;
      if (t.side === 'buy') {
        p.value += t.quantity * t.price;
        p.bought += t.quantity;
      }
      bySymbol.set(t.symbol, p);
    }
    return [...bySymbol].map(([symbol, p]) => ({ symbol, exchange: this.exchange, quantity: p.qty, averagePrice: p.bought ? p.value / p.bought : 0, product: 'delivery' as const }));
  }

  /** Start-of-day cash from the account file, less today's buys and plus today's sells on this session. */
  funds(): Funds {
    const { cash } = this.accountFile();
    let flow = 0;
    for (const t of this.todaysTrades()) flow += (t.side === 'buy' ? -1 : 1) * t.quantity * t.price;
    return { currency: this.deps.settings.currency, available: Math.max(0, Math.round(cash + flow)), used: 0 };
  }

  private todaysTrades(): BrokerTrade[] {
    const today = tradingDate(this.exchange, this.deps.clock.now());
    return this.deps.trades().filter((t) => tradingDate(t.exchange, t.ts) === today);
  }

  private async loadInstruments(): Promise<Map<string, Instrument>> {
    const { settings, symbols, requests } = this.deps;
    const out = new Map<string, Instrument>();
    if (settings.instruments) {
      for (const [symbol, i] of Object.entries(settings.instruments)) out.set(symbol, { symbol, exchange: this.exchange, name: i.name ?? symbol, currency: settings.currency, tickSize: toMinor(i.tick), lotSize: i.lot, brokerToken: symbols.toFix(symbol) });
      return out;
    }
    const id = this.deps.nextId('SEC');
    const list = await requests.request(`sec:${id}`, MSG.SecurityListRequest, [[TAG.SecurityReqID, id], [TAG.SecurityListRequestType, '4']]);
    const result = list.get(TAG.SecurityRequestResult);
    if (result !== undefined && result !== '0') {
      throw new BrokerError('unavailable', `the counterparty refused SecurityListRequest (result ${result}): list the session's instruments in config.json (brokers.fix.sessions.${this.deps.session}.instruments)`, this.deps.broker);
    }
    for (const entry of list.groups(TAG.NoRelatedSym, TAG.Symbol)) {
      const symbol = symbols.fromFix(entry.get(TAG.Symbol) ?? '');
      if (!symbol) continue;
      out.set(symbol, {
        symbol,
        exchange: this.exchange,
        name: entry.get(TAG.SecurityDesc) ?? symbol,
        currency: settings.currency,
        tickSize: Math.round(minorFromFix(entry.get(TAG.MinPriceIncrement)) ?? 1),
        lotSize: entry.num(TAG.RoundLot) ?? 1,
        isin: entry.get(TAG.SecurityIDSource) === '4' ? entry.get(TAG.SecurityID) : undefined,
        brokerToken: entry.get(TAG.Symbol),
      });
    }
    return out;
  }

  private accountFile(): { cash: number; holdings: Holding[] } {
    const { settings, session, broker } = this.deps;
    const path = settings.account_file;
    if (!path) throw new BrokerError('unavailable', `FIX 4.4 has no standard cash query: set brokers.fix.sessions.${session}.account_file to a file with the start-of-day cash`, broker, { hint: 'see "FIX 4.4" in the README for the account file' });
    let raw: { cash?: unknown; holdings?: { symbol: string; quantity: number; t1_quantity?: number; average_price?: number }[] };
    try {
      raw = JSON.parse(readFileSync(path, 'utf8')) as typeof raw;
    } catch (err) {
      throw new BrokerError('input', `${path}: the FIX account file cannot be read (${(err as Error).message})`, broker);
    }
    if (typeof raw.cash !== 'number' || !Number.isFinite(raw.cash)) throw new BrokerError('input', `${path}: "cash" (start-of-day cash, in ${settings.currency}) is missing or not a number`, broker);
    return {
      cash: toMinor(raw.cash),
      holdings: (raw.holdings ?? []).map((h) => ({ symbol: h.symbol, exchange: this.exchange, quantity: h.quantity - (h.t1_quantity ?? 0), t1Quantity: h.t1_quantity ?? 0, averagePrice: toMinor(h.average_price ?? 0) })),
    };
  }
}
