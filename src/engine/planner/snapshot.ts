import type { Broker } from '../../brokers/broker.js';
import type { Clock } from '../../domain/clock.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { fieldOf } from '../../domain/input-issue.js';
import { instrumentKey, type Instrument, type InstrumentKey, type Quote } from '../../domain/instrument.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { AccountSnapshot } from '../../domain/plan.js';
import type { TargetPortfolio } from '../../domain/target-portfolio.js';

/** Unknown symbols named in the error; the rest are counted (a wrong file can have thousands). */
const MAX_NAMED_UNKNOWN = 20;

/**
 * Reads what the planner needs from the broker: holdings (with T+1) and today's positions, which
 * together say what the account owns (`ownedInstruments`), cash, and instruments and quotes for
 * every target and owned symbol. Unknown target symbols stop the run here, before anything is
 * sent.
 */
export async function takeSnapshot(broker: Broker, target: TargetPortfolio, clock: Clock): Promise<AccountSnapshot> {
  const [holdings, positions, funds] = await Promise.all([broker.holdings(), broker.positions(), broker.funds()]);
  const { holdingsIncludeTodaysTrades, simulatedMarket } = broker.capabilities;
  const wanted = new Map<string, { symbol: string; exchange?: Instrument['exchange'] }>();
  for (const p of target.positions) wanted.set(`${p.exchange ?? '*'}:${p.symbol}`, { symbol: p.symbol, exchange: p.exchange });
  for (const o of ownedInstruments({ holdings, positions, holdingsIncludeTodaysTrades }).values()) wanted.set(`${o.exchange}:${o.symbol}`, { symbol: o.symbol, exchange: o.exchange });
  const found = await broker.instruments([...wanted.values()]);

  const instruments = new Map<InstrumentKey, Instrument>();
  for (const i of found) instruments.set(instrumentKey(i.exchange, i.symbol), i);
  const unknown = target.positions.filter((p) => !findInstrument(instruments, p.symbol, p.exchange));
  if (unknown.length) {
    const named = unknown.slice(0, MAX_NAMED_UNKNOWN).map((p) => `${p.exchange ? `${p.exchange}:` : ''}${p.symbol} (${p.location})`);
    const rest = unknown.length - named.length;
    const list = `${named.join(', ')}${rest > 0 ? ` and ${rest.toLocaleString('en-US')} more` : ''}`;
    throw new InvalidInputError(
      `unknown symbol${unknown.length > 1 ? 's' : ''} at ${broker.id}: ${list}; nothing was sent`,
      simulatedMarket ? await simulatedMarketFix(broker, unknown) : 'check the spelling and the exchange (e.g. "exchange": "NSE"), or remove the line',
      { issues: unknown.map((p) => ({ ...fieldOf(p.place, 'symbol'), message: `unknown symbol ${p.exchange ? `${p.exchange}:` : ''}${p.symbol} at ${broker.id}` })), issuesInMessage: true },
    );
  }

  const quotes = new Map<InstrumentKey, Quote>();
  const list = [...instruments.values()];
  for (const q of await broker.quotes(list.map((i) => ({ symbol: i.symbol, exchange: i.exchange })))) quotes.set(instrumentKey(q.exchange, q.symbol), q);
  const missing = list.filter((i) => !quotes.has(instrumentKey(i.exchange, i.symbol)));
  if (missing.length) {
    throw new InvalidInputError(
      `no quote from ${broker.id} for ${missing.map((i) => `${i.exchange}:${i.symbol}`).join(', ')}; nothing was sent`,
      'the instrument may be suspended; remove it or retry later',
    );
  }
  return { broker: broker.id, account: broker.account, takenAt: clock.now(), funds, holdings, positions, holdingsIncludeTodaysTrades, simulatedMarket, instruments, quotes };
}

/**
 * What to do about symbols the simulated market does not list. It ships NSE's equities only: a
 * BSE line for a share also on NSE is pointed there, and a BSE-only share to BSE's bhavcopy,
 * which lists it with a price.
 */
async function simulatedMarketFix(broker: Broker, unknown: readonly { symbol: string; exchange?: Instrument['exchange'] }[]): Promise<string> {
  const general = 'check the spelling and the exchange (e.g. "exchange": "NSE"), or remove the line; the paper market lists NSE equities (ptexec paper universe show --search NAME) and others you import (ptexec paper universe import FILE)';
  const onBse = unknown.filter((p) => p.exchange === 'BSE');
  if (onBse.length === 0) return general;
  const fix = onBse.length < unknown.length ? [general] : [];
  const onNse = new Set((await broker.instruments(onBse.map((p) => ({ symbol: p.symbol, exchange: 'NSE' as const })))).map((i) => i.symbol));
  const names = (list: readonly { symbol: string }[], exchange: string) => {
    const named = list.slice(0, MAX_NAMED_UNKNOWN).map((p) => `${exchange}:${p.symbol}`);
    return `${named.join(', ')}${list.length > named.length ? ` and ${(list.length - named.length).toLocaleString('en-US')} more` : ''}`;
  };
  const twins = onBse.filter((p) => onNse.has(p.symbol));
  const alone = onBse.filter((p) => !onNse.has(p.symbol));
  if (twins.length) fix.push(`${names(twins, 'NSE')} ${twins.length > 1 ? 'are' : 'is'} listed: give "exchange": "NSE" on ${twins.length > 1 ? 'those lines' : 'that line'}`);
  if (alone.length) fix.push(`no BSE list is shipped: import ${names(alone, 'BSE')} with ${alone.length > 1 ? 'their prices' : 'its price'} from BSE's equity bhavcopy (ptexec paper universe import BhavCopy_BSE_CM_0_0_0_YYYYMMDD_F_0000.CSV)`);
  return fix.join('; ');
}

/** Resolves a symbol with an optional exchange; without one, NSE is preferred, then any. */
export function findInstrument(instruments: Map<InstrumentKey, Instrument>, symbol: string, exchange?: string): Instrument | undefined {
  if (exchange) return instruments.get(instrumentKey(exchange, symbol));
  const preferred = instruments.get(instrumentKey('NSE', symbol));
  if (preferred) return preferred;
  for (const i of instruments.values()) if (i.symbol === symbol) return i;
  return undefined;
}
