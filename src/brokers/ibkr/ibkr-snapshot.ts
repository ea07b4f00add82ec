import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import { addBusinessDays } from '../../market/calendar/business-days.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { IbkrClient } from './ibkr-client.js';
import type { IbkrContracts } from './ibkr-contracts.js';
import { dollarsToMinor, usExchange } from './ibkr-mapping.js';
import type { IbkrOrderBook } from './ibkr-order-book.js';
import { IBKR_SNAPSHOT_FIELDS } from './wire-facts.js';

interface IbkrPosition {
  conid?: number;
  position?: number;
  avgCost?: number;
  avgPrice?: number;
  mktPrice?: number;
  ticker?: string;
  contractDesc?: string;
  listingExchange?: string;
  currency?: string;
  assetClass?: string;
}

type SnapshotRow = Record<string, string | number | undefined> & { conid?: number };

export interface SettlementCalendar {
  settlementDate(exchange: Exchange, tradeDate: string): string;
}

/**
 * The account and market as the gateway reports them, in ptexec's types (dollars into cents).
 * Holdings are IBKR's positions, today's trades included; their T+1 part (US equities settle T+1)
 * is what earlier days' executions bought that has not settled yet, read from the last days' trades.
 */
export class IbkrSnapshotReader {
  constructor(
    private readonly client: IbkrClient,
    private readonly contracts: IbkrContracts,
    private readonly book: IbkrOrderBook,
    private readonly account: () => string,
    private readonly clock: Clock,
    private readonly options: { snapshotRetryMs: number; calendar?: SettlementCalendar },
  ) {}

  /** Top-of-book snapshots; a conid asked for the first time answers after IBKR's pre-flight, so missing fields are asked once more. */
  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const found = await this.contracts.lookup(instruments);
    const byConid = new Map(found.map((i) => [i.brokerToken!, i]));
    if (byConid.size === 0) return [];
    const ask = (conids: string[]) =>
      this.client.json<SnapshotRow[]>({ method: 'GET', path: '/iserver/marketdata/snapshot', query: [['conids', conids.join(',')], ['fields', IBKR_SNAPSHOT_FIELDS.join(',')]] });
    const rows = new Map<string, SnapshotRow>();
    const priced = (r: SnapshotRow | undefined) => r !== undefined && (r['31'] !== undefined || r['84'] !== undefined);
    for (const r of (await ask([...byConid.keys()])) ?? []) rows.set(String(r.conid), r);
    const missing = [...byConid.keys()].filter((c) => !priced(rows.get(c)));
    if (missing.length > 0) {
      await this.clock.sleep(this.options.snapshotRetryMs);
      for (const r of (await ask(missing)) ?? []) rows.set(String(r.conid), r);
    }
    const out: Quote[] = [];
    for (const [conid, inst] of byConid) {
      const r = rows.get(conid);
      if (!priced(r)) continue;
      const last = Math.round(dollarsToMinor(r!['31'] ?? r!['84']));
      const quote: Quote = { symbol: inst.symbol, exchange: inst.exchange, bid: Math.round(dollarsToMinor(r!['84'])) || last, ask: Math.round(dollarsToMinor(r!['86'])) || last, last, volume: Number(r!['7762'] ?? 0) || 0, ts: this.clock.now() };
      const close = Math.round(dollarsToMinor(r!['7741']));
      if (close > 0) quote.close = close;
      out.push(quote);
    }
    return out;
  }

  async holdings(): Promise<Holding[]> {
    const rows = await this.client.json<IbkrPosition[]>({ method: 'GET', path: `/portfolio/${this.account()}/positions/0` });
    const unsettled = await this.unsettledBuys();
    const out: Holding[] = [];
    for (const p of rows ?? []) {
      if ((p.assetClass !== undefined && p.assetClass !== 'STK') || (p.currency !== undefined && p.currency !== 'USD')) continue;
      const quantity = Number(p.position ?? 0);
      const symbol = p.ticker ?? p.contractDesc;
      const exchange = this.contracts.byConid(p.conid)?.exchange ?? usExchange(p.listingExchange);
      // Short positions are not holdings: ptexec trades long-only portfolios.
      if (!symbol || !exchange || quantity <= 0 || !Number.isInteger(quantity)) continue;
      const t1 = Math.min(quantity, unsettled.get(String(p.conid)) ?? 0);
      const holding: Holding = { symbol, exchange, quantity: quantity - t1, t1Quantity: t1, averagePrice: dollarsToMinor(p.avgPrice ?? p.avgCost) };
      if (p.mktPrice) holding.lastPrice = Math.round(dollarsToMinor(p.mktPrice));
      out.push(holding);
    }
    return out;
  }

  /** IBKR has one position per contract, today's trades included (`holdingsIncludeTodaysTrades`): nothing is a separate day position. */
  async positions(): Promise<Position[]> {
    return [];
  }

  async funds(): Promise<Funds> {
    const ledger = await this.client.json<Record<string, { cashbalance?: number; settledcash?: number } | undefined>>({ method: 'GET', path: `/portfolio/${this.account()}/ledger` });
    const usd = ledger?.USD;
    if (!usd || typeof usd.cashbalance !== 'number') throw new BrokerError('protocol', `GET /portfolio/${this.account()}/ledger: no USD balance in the answer`, 'ibkr');
    return { currency: 'USD', available: Math.max(0, Math.round(usd.cashbalance * 100)), used: 0 };
  }

  /**
   * Shares bought on earlier trading days per conid whose settlement date is today or later (not
   * yet settled): the T+1 part. Today's buys are in IBKR's position like every trade of the day
   * (`holdingsIncludeTodaysTrades`) and count in the quantity, as ptexec counts its own fills of
   * the day as pending settlement itself.
   */
  private async unsettledBuys(): Promise<Map<string, number>> {
    const today = tradingDate('NYSE', this.clock.now());
    const settles = (exchange: Exchange, day: string) => this.options.calendar?.settlementDate(exchange, day) ?? addBusinessDays(exchange, day, 1);
    const out = new Map<string, number>();
    for (const t of await this.book.recentExecutions(4)) {
      if (!t.side.toUpperCase().startsWith('B') || t.trade_time_r === undefined || t.conid === undefined) continue;
      const exchange = usExchange(t.listing_exchange) ?? 'NYSE';
      const traded = tradingDate(exchange, t.trade_time_r);
      if (traded >= today || settles(exchange, traded) < today) continue;
      out.set(String(t.conid), (out.get(String(t.conid)) ?? 0) + Number(t.size));
    }
    return out;
  }
}
