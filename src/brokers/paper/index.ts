import type Database from 'better-sqlite3';
import { registerBroker } from '../registry.js';
import { accountSummary, resetAccount, type PaperAccountSummary, type ResetPaperAccountOptions } from './account-admin.js';
import { PAPER_CAPABILITIES, PaperBroker, type PaperBrokerSetup } from './paper-broker.js';
import { PaperDb, paperMarketTime } from './paper-db.js';

/**
 * The built-in paper broker: registration under 'paper' and the public surface other areas use
 * (the universe for planner tests and sector mapping, the volume profile for VWAP, account
 * management for the `paper` commands, its schema for the store). Callers hand it the database;
 * only its persistence (paper-db.ts) holds the connection.
 */
registerBroker('paper', {
  traits: PAPER_CAPABILITIES,
  create: async (deps) =>
    createPaperBroker({
      db: deps.db,
      clock: deps.clock,
      config: deps.config,
      // Settlement follows the exchange calendar (holidays included); trading hours only when asked.
      settlementDate: deps.calendar?.settlementDate,
      isOpen: deps.config['followExchangeHours'] === true ? deps.calendar?.isOpen : undefined,
    }),
  marketTime: paperMarketTime,
});

export interface PaperBrokerOptions extends Omit<PaperBrokerSetup, 'records'> {
  /** The ptexec database (migrated): account and market state live in its `paper_*` tables. */
  db: Database.Database;
}

export function createPaperBroker({ db, ...setup }: PaperBrokerOptions): PaperBroker {
  return new PaperBroker({ ...setup, records: new PaperDb(db) });
}

/** Starts a paper account again (see resetAccount in account-admin.ts). */
export function resetPaperAccount(db: Database.Database, options: ResetPaperAccountOptions = {}): PaperAccountSummary {
  return resetAccount(new PaperDb(db), options);
}

/** A paper account's cash, holdings, open orders and trades (see accountSummary in account-admin.ts). */
export function paperAccountSummary(db: Database.Database, options: Parameters<typeof accountSummary>[1] = {}): PaperAccountSummary {
  return accountSummary(new PaperDb(db), options);
}

export { PaperBroker, type PaperBrokerSetup } from './paper-broker.js';
export { paperMarketTime } from './paper-db.js';
export { paperSchema, type PaperMigration } from './schema.js';
export { parsePaperConfig, PaperConfigSchema, type PaperConfig } from './config.js';
export { PAPER_UNIVERSE, paperInstrument, paperSector, InstrumentIndex, type PaperInstrument } from './universe.js';
export { intradayVolumeProfile, cumulativeVolumeFraction, volumeDensity } from './volume-profile.js';
export { type PaperAccountSummary, type PaperHoldingSeed, type ResetPaperAccountOptions } from './account-admin.js';
export { DEFAULT_PAPER_ACCOUNT, DEFAULT_PAPER_CASH } from './paper-records.js';
export { sessionAt, localDate, nextWeekday, isWithinExchangeHours } from './session.js';
