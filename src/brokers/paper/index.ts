import type { BrokerTables } from '../../domain/broker-tables.js';
import { registerBroker } from '../registry.js';
import { accountSummary, resetAccount, type PaperAccountSummary, type ResetPaperAccountOptions } from './account-admin.js';
import { PAPER_CAPABILITIES } from './capabilities.js';
import { PaperBroker, type PaperBrokerSetup } from './paper-broker.js';
import { parsePaperConfig } from './config.js';
import { PaperDb, paperMarketTime } from './paper-db.js';
import { loadMarketModel } from './model-file.js';

/**
 * The built-in paper broker: registration under 'paper' and the public surface other areas use
 * (the universe for planner tests and sector mapping, the volume profile for VWAP, account
 * management for the `paper` commands, its schema for the store). Callers hand it its tables
 * (`Store.brokerTables('paper')`); only its persistence (paper-db.ts) uses them.
 */
/** The paper broker's name: `--broker paper`, its tables, its section of config.json. */
export const PAPER_BROKER_ID = 'paper';

registerBroker(PAPER_BROKER_ID, {
  traits: PAPER_CAPABILITIES,
  create: async (deps) =>
    createPaperBroker({
      tables: deps.tables,
      clock: deps.clock,
      config: deps.config,
      listed: deps.listedInstruments,
      // Settlement follows the exchange calendar (holidays included); trading hours only when asked.
      settlementDate: deps.calendar?.settlementDate,
      isOpen: deps.config['followExchangeHours'] === true ? deps.calendar?.isOpen : undefined,
      model: loadMarketModel(typeof deps.config['model'] === 'string' ? deps.config['model'] : undefined, deps.shippedData),
    }),
  marketTime: paperMarketTime,
  // `ptexec config` shows the top-level `paper` section, where the settings are documented.
  settings: { path: 'paper', resolve: (section) => ({ settings: parsePaperConfig(section) }) },
});

export interface PaperBrokerOptions extends Omit<PaperBrokerSetup, 'records'> {
  /** Its `paper_*` tables in the ptexec database (migrated): account and market state live there. */
  tables: BrokerTables;
}

export function createPaperBroker({ tables, ...setup }: PaperBrokerOptions): PaperBroker {
  return new PaperBroker({ ...setup, records: new PaperDb(tables) });
}

/** Starts a paper account again (see resetAccount in account-admin.ts). */
export function resetPaperAccount(tables: BrokerTables, options: ResetPaperAccountOptions = {}): PaperAccountSummary {
  return resetAccount(new PaperDb(tables), options);
}

/** A paper account's cash, holdings, open orders and trades (see accountSummary in account-admin.ts). */
export function paperAccountSummary(tables: BrokerTables, options: Parameters<typeof accountSummary>[1] = {}): PaperAccountSummary {
  return accountSummary(new PaperDb(tables), options);
}

export { PaperBroker, type PaperBrokerSetup } from './paper-broker.js';
export { paperMarketTime } from './paper-db.js';
export { paperSchema, type PaperMigration } from './schema.js';
export { parsePaperConfig, PaperConfigSchema, type PaperConfig } from './config.js';
export { PAPER_UNIVERSE, paperInstrument, paperSector, InstrumentIndex, type PaperInstrument } from './universe.js';
export { type PaperAccountSummary, type PaperHoldingSeed, type ResetPaperAccountOptions } from './account-admin.js';
export { DEFAULT_PAPER_ACCOUNT, DEFAULT_PAPER_CASH } from './paper-records.js';
export { sessionAt, isWithinExchangeHours } from './session.js';
export { DEFAULT_MARKET_MODEL, MarketModelSchema, parseMarketModel, type MarketModel, type SymbolModel } from './market-model.js';
export { loadMarketModel } from './model-file.js';
