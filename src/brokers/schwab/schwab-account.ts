import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Exchange } from '../../domain/instrument.js';
import type { SchwabClient } from './schwab-client.js';
import { cents } from './schwab-mapping.js';

interface SchwabPosition {
  longQuantity?: number;
  shortQuantity?: number;
  settledLongQuantity?: number;
  averagePrice?: number;
  averageLongPrice?: number;
  marketValue?: number;
  instrument?: { assetType?: string; symbol?: string };
}

interface SchwabBalances {
  cashAvailableForTrading?: number;
  availableFunds?: number;
  cashBalance?: number;
  maintenanceRequirement?: number;
}

export interface SchwabAccountBody {
  securitiesAccount?: { type?: string; accountNumber?: string; positions?: SchwabPosition[]; currentBalances?: SchwabBalances };
}

/**
 * The account: `GET /accounts/{hash}?fields=positions`. Schwab's positions are the holdings,
 * today's trades included: `longQuantity` is what the account owns, `settledLongQuantity` the
 * settled part; the rest is T+1 (US equities settle the next business day since May 2024).
 * Schwab has no separate day positions, so `positions()` is empty. Cash available to trade is
 * `cashAvailableForTrading` (cash account) or `availableFunds` (margin account); USD in cents.
 */
export class SchwabAccount {
  constructor(
    private readonly client: SchwabClient,
    private readonly hash: () => Promise<string>,
    private readonly exchangeOf: (symbol: string) => Exchange,
    /** Looks up where symbols not seen before are listed: Schwab's positions do not say. */
    private readonly learn: (symbols: string[]) => Promise<void>,
  ) {}

  private async read(): Promise<NonNullable<SchwabAccountBody['securitiesAccount']>> {
    const hash = await this.hash();
    const body = await this.client.json<SchwabAccountBody>({ method: 'GET', path: `/accounts/${hash}`, cls: 'reads', query: [['fields', 'positions']] });
    if (!body?.securitiesAccount) throw new BrokerError('protocol', 'GET /accounts/{hash}: no securitiesAccount in the response', 'schwab');
    return body.securitiesAccount;
  }

  async holdings(): Promise<Holding[]> {
    const account = await this.read();
    await this.learn((account.positions ?? []).flatMap((p) => (p.instrument?.symbol ? [p.instrument.symbol] : [])));
    return (account.positions ?? []).flatMap((p) => {
      const symbol = p.instrument?.symbol;
      const owned = Math.floor(p.longQuantity ?? 0);
      if (!symbol || owned <= 0 || !['EQUITY', 'COLLECTIVE_INVESTMENT'].includes(String(p.instrument?.assetType))) return [];
      const settled = Math.min(owned, Math.floor(p.settledLongQuantity ?? owned));
      const holding: Holding = { symbol, exchange: this.exchangeOf(symbol), quantity: settled, t1Quantity: owned - settled, averagePrice: cents(p.averageLongPrice ?? p.averagePrice) };
      if (p.marketValue !== undefined && owned > 0) holding.lastPrice = Math.round(cents(p.marketValue) / owned);
      return [holding];
    });
  }

  async positions(): Promise<Position[]> {
    return [];
  }

  async funds(): Promise<Funds> {
    const b = (await this.read()).currentBalances ?? {};
    const available = b.cashAvailableForTrading ?? b.availableFunds ?? b.cashBalance;
    if (available === undefined) throw new BrokerError('protocol', 'GET /accounts/{hash}: no cash balance in currentBalances', 'schwab');
    return { currency: 'USD', available: Math.max(0, Math.floor(cents(available))), used: Math.max(0, Math.round(cents(b.maintenanceRequirement ?? 0))) };
  }
}
