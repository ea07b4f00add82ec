import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../domain/clock.js';
import type { Instrument } from '../../domain/instrument.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { InstrumentQuery } from '../broker.js';
import type { IbkrClient } from './ibkr-client.js';
import { usExchange } from './ibkr-mapping.js';

/** One answer of `GET /trsrv/stocks?symbols=…`. */
type StocksAnswer = Record<string, { name?: string; assetClass?: string; contracts?: { conid: number; exchange?: string; isUS?: boolean }[] }[]>;

/**
 * IBKR contract ids (conids) of US stocks, looked up with `/trsrv/stocks` and kept for the
 * trading day (in memory, and in `cacheDir` between commands): IBKR recommends storing conids,
 * which live as long as the instrument. A symbol IBKR does not know is remembered as absent too.
 * Ticks are a cent (SEC Rule 612 for prices from $1) and lots one share.
 */
export class IbkrContracts {
  private day = '';
  private known = new Map<string, Instrument | null>();

  constructor(
    private readonly client: IbkrClient,
    private readonly clock: Clock,
    private readonly cacheDir?: string,
  ) {}

  async lookup(query: readonly InstrumentQuery[]): Promise<Instrument[]> {
    this.startDay();
    const missing = [...new Set(query.map((q) => q.symbol.toUpperCase()).filter((s) => !this.known.has(s)))];
    if (missing.length > 0) {
      const answer = (await this.client.json<StocksAnswer>({ method: 'GET', path: '/trsrv/stocks', query: [['symbols', missing.join(',')]] })) ?? {};
      for (const symbol of missing) this.known.set(symbol, usStock(symbol, answer[symbol]));
      this.save();
    }
    const out: Instrument[] = [];
    for (const q of query) {
      const found = this.known.get(q.symbol.toUpperCase());
      if (found && (q.exchange === undefined || q.exchange === found.exchange)) out.push(found);
    }
    return out;
  }

  /** The instrument of a conid already looked up. */
  byConid(conid: number | string | undefined): Instrument | undefined {
    if (conid === undefined) return undefined;
    for (const i of this.known.values()) if (i?.brokerToken === String(conid)) return i;
    return undefined;
  }

  private file(): string | undefined {
    return this.cacheDir ? join(this.cacheDir, `ibkr-conids-${this.day}.json`) : undefined;
  }

  private startDay(): void {
    const day = tradingDate('NYSE', this.clock.now());
    if (day === this.day) return;
    this.day = day;
    this.known = new Map();
    const file = this.file();
    if (file && existsSync(file)) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Instrument | null>)) this.known.set(k, v);
      } catch {
        // A damaged cache is read again from the gateway.
      }
    }
  }

  private save(): void {
    const file = this.file();
    if (!file || !this.cacheDir) return;
    mkdirSync(this.cacheDir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.known)));
    renameSync(tmp, file);
  }
}

/** The US stock listing of a symbol among IBKR's matches (the first US contract of a stock). */
function usStock(symbol: string, matches: StocksAnswer[string] | undefined): Instrument | null {
  for (const m of matches ?? []) {
    if (m.assetClass !== undefined && m.assetClass !== 'STK') continue;
    const contract = m.contracts?.find((c) => c.isUS === true);
    const exchange = usExchange(contract?.exchange);
    if (!contract || !exchange) continue;
    return { symbol, exchange, name: m.name ?? symbol, currency: 'USD', tickSize: 1, lotSize: 1, brokerToken: String(contract.conid) };
  }
  return null;
}
