import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ListedInstrument } from '../../domain/instrument.js';
import { nseTickForPrice } from '../../domain/price.js';
import { dataDir } from '../../lib/paths.js';
import { shippedData } from './shipped-data.js';
import { parseUniverseFile, type ListingFacts } from './universe-formats.js';

/** The shipped list of NSE equities (see its header for the date and source of the figures). */
export const SHIPPED_UNIVERSE_FILE = 'paper/nse-equities.csv';

/**
 * Figures for a listing a file gives no volume or volatility for (a Kite dump): a thinly traded
 * share of middling volatility, so the simulated market is cautious with it. The import says how
 * many listings took them.
 */
export const DEFAULT_ADV = 50_000;
export const DEFAULT_VOLATILITY = 0.35;

/** Where `paper universe import` keeps what the user imported. */
export function importedUniversePath(env: NodeJS.ProcessEnv): string {
  return join(dataDir(env), 'paper-universe.csv');
}

export interface UniverseSource {
  path: string;
  asOf?: string;
  listings: ListingFacts[];
}

/** The shipped list, read once per process. */
let shipped: UniverseSource | undefined;
export function shippedUniverse(): UniverseSource {
  if (shipped) return shipped;
  const path = fileURLToPath(shippedData(SHIPPED_UNIVERSE_FILE));
  const parsed = parseUniverseFile(readFileSync(path, 'utf8'), `data/${SHIPPED_UNIVERSE_FILE}`);
  return (shipped = { path: `data/${SHIPPED_UNIVERSE_FILE}`, asOf: parsed.asOf, listings: parsed.listings });
}

/** What the user imported, or nothing. */
export function importedUniverse(env: NodeJS.ProcessEnv): UniverseSource | undefined {
  const path = importedUniversePath(env);
  if (!existsSync(path)) return undefined;
  const parsed = parseUniverseFile(readFileSync(path, 'utf8'), path);
  return { path, asOf: parsed.asOf, listings: parsed.listings };
}

/** A listing as the simulated market trades it: on its tick, with figures filled in. Undefined without a price. */
export function toListedInstrument(facts: ListingFacts): ListedInstrument | undefined {
  if (facts.price === undefined) return undefined;
  const tickSize = facts.tick ?? nseTickForPrice(facts.price);
  const instrument: ListedInstrument = {
    symbol: facts.symbol,
    exchange: facts.exchange,
    name: facts.name ?? facts.symbol,
    currency: 'INR',
    tickSize,
    lotSize: facts.lot ?? 1,
    referencePrice: Math.max(tickSize, Math.round(facts.price / tickSize) * tickSize),
    adv: Math.max(1, Math.round(facts.adv ?? DEFAULT_ADV)),
    volatility: facts.volatility ?? DEFAULT_VOLATILITY,
  };
  if (facts.isin) instrument.isin = facts.isin;
  return instrument;
}

/**
 * The listed market the paper broker offers beyond its built-in instruments: the user's imports
 * first (they win), then the shipped list.
 */
export function listedInstruments(env: NodeJS.ProcessEnv): ListedInstrument[] {
  const sources = [importedUniverse(env), shippedUniverse()].filter((s): s is UniverseSource => s !== undefined);
  return sources.flatMap((s) => s.listings.map(toListedInstrument).filter((i): i is ListedInstrument => i !== undefined));
}
