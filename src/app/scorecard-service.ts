import type { AccountDefinition } from '../domain/accounts.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { Currency } from '../domain/money.js';
import type { ExecutionQuality } from '../engine/routing/types.js';
import { executionQuality } from '../engine/scorecard/quality.js';
import { scorecards } from '../engine/scorecard/scorecard.js';
import type { Scorecard } from '../engine/scorecard/types.js';
import { configFilePath } from '../lib/paths.js';
import { ScorecardQueries, type ScorecardWindow } from '../store/scorecard-queries.js';
import type { Store } from '../store/store.js';
import type { Factory } from './factory.js';
import { parseAccounts } from './loaders/accounts-config.js';
import { dateFlag } from './named-inputs.js';

export interface ScorecardRequest {
  /** `30d` (that many days back from today) or a date, YYYY-MM-DD; absent = all history. */
  since?: string;
  /** A date, YYYY-MM-DD, inclusive; absent = today. */
  until?: string;
  broker?: string;
}

/** One broker: its total, and each account it traded for (an account with an alias when config.json names it). */
export interface BrokerScorecardEntry {
  broker: string;
  /** Null when the broker has no executions in the window. */
  total: Scorecard | null;
  accounts: { card: Scorecard; alias: string | null }[];
  /** Configured accounts of this broker with no executions in the window. */
  idleAliases: string[];
}

export interface ScorecardReport {
  since: string | null;
  until: string | null;
  brokers: BrokerScorecardEntry[];
}

const DAYS = /^(\d{1,4})d$/;

/** `--since 30d|YYYY-MM-DD` and `--until YYYY-MM-DD` as trading dates; a bad value is exit 2. */
export function scorecardWindow(request: ScorecardRequest, now: number): ScorecardWindow {
  const window: ScorecardWindow = {};
  if (request.since !== undefined) {
    const days = DAYS.exec(request.since);
    window.since = days ? new Date(now - Number(days[1]) * 86_400_000).toISOString().slice(0, 10) : sinceDate(request.since);
  }
  if (request.until !== undefined) window.until = dateFlag('until', request.until);
  if (window.since !== undefined && window.until !== undefined && window.since > window.until) {
    throw new InvalidInputError(`--since ${window.since} is after --until ${window.until}`, 'give a --since on or before --until');
  }
  if (request.broker !== undefined) window.broker = request.broker.toLowerCase();
  return window;
}

function sinceDate(value: string): string {
  if (!/^\d{4}-/.test(value)) throw new InvalidInputError(`--since ${value} is neither a number of days nor a date`, 'write it as 30d (days back from today) or YYYY-MM-DD, e.g. --since 2026-01-05');
  return dateFlag('since', value);
}

/** The scorecards of the window from the store: per broker account and per broker. */
export function measureBrokers(store: Store, window: ScorecardWindow): { accounts: Scorecard[]; brokers: Scorecard[] } {
  const queries = new ScorecardQueries(store);
  return scorecards({ legs: queries.legs(window), children: queries.children(window), fills: queries.fills(window) });
}

/** `ptexec brokers scorecard`: each broker's and account's measured execution quality and cost from our own executions. */
export async function brokerScorecard(f: Factory, request: ScorecardRequest): Promise<ScorecardReport> {
  const window = scorecardWindow(request, f.wallNow());
  const definitions = parseAccounts((await f.config()).accounts, configFilePath(f.env));
  const { accounts, brokers } = measureBrokers(f.store(), window);
  // Every broker that traded or has a configured account; only the one asked for with --broker, history or not.
  const names = window.broker !== undefined ? [window.broker] : [...new Set([...brokers.map((b) => b.broker), ...definitions.map((d) => d.broker)])].sort();
  const entries = names.map((broker): BrokerScorecardEntry => {
    const own = accounts.filter((a) => a.broker === broker);
    const configured = definitions.filter((d) => d.broker === broker);
    return {
      broker,
      total: brokers.find((b) => b.broker === broker) ?? null,
      accounts: own.map((card) => ({ card, alias: aliasOf(configured, card.account!, own.length) })),
      idleAliases: configured.filter((d) => !own.some((card) => matches(d, card.account!, own.length))).map((d) => d.alias),
    };
  });
  return { since: window.since ?? null, until: window.until ?? null, brokers: entries };
}

/** An account definition names this account: by its id, or with no id when the broker traded for one account only. */
function matches(definition: AccountDefinition, account: string, accountsTraded: number): boolean {
  return definition.account !== undefined ? definition.account === account : accountsTraded === 1;
}

function aliasOf(configured: readonly AccountDefinition[], account: string, accountsTraded: number): string | null {
  return configured.find((d) => matches(d, account, accountsTraded))?.alias ?? null;
}

/** The key of a broker account in {@link executionQualities}: `broker/account`; a broker's total is keyed by `broker`. */
export function qualityKey(broker: string, account?: string): string {
  return account === undefined ? broker : `${broker}/${account}`;
}

/**
 * What the router weighs as each account's measured quality (`RoutableAccount.quality`): every
 * broker account's and every broker's {@link ExecutionQuality} over the window, keyed by
 * {@link qualityKey}. `currency`: the currency of the legs being routed.
 */
export function executionQualities(store: Store, window: ScorecardWindow = {}, currency?: Currency): Map<string, ExecutionQuality> {
  const { accounts, brokers } = measureBrokers(store, window);
  const qualities = new Map<string, ExecutionQuality>();
  for (const card of [...brokers, ...accounts]) {
    const quality = executionQuality(card, currency);
    if (quality) qualities.set(qualityKey(card.broker, card.account ?? undefined), quality);
  }
  return qualities;
}

/** The measured quality of a configured account: its own account's, else (no account id given) its broker's; undefined = no history. */
export function qualityFor(qualities: ReadonlyMap<string, ExecutionQuality>, definition: AccountDefinition): ExecutionQuality | undefined {
  return qualities.get(qualityKey(definition.broker, definition.account));
}
