import { registerBroker } from '../registry.js';
import { createPaperBroker } from './paper-broker.js';

/**
 * The built-in paper broker: registration under 'paper' and the public surface other areas use
 * (the universe for planner tests and sector mapping, the volume profile for VWAP, account
 * management for the `paper` commands).
 */
registerBroker('paper', async (deps) =>
  createPaperBroker({
    db: deps.db,
    clock: deps.clock,
    config: deps.config,
    // Settlement follows the exchange calendar (holidays included); trading hours only when asked.
    settlementDate: deps.calendar?.settlementDate,
    isOpen: deps.config['followExchangeHours'] === true ? deps.calendar?.isOpen : undefined,
  }),
);

export { createPaperBroker, PaperBroker, type PaperBrokerOptions } from './paper-broker.js';
export { parsePaperConfig, PaperConfigSchema, type PaperConfig } from './config.js';
export { PAPER_UNIVERSE, paperInstrument, paperSector, InstrumentIndex, type PaperInstrument } from './universe.js';
export { intradayVolumeProfile, cumulativeVolumeFraction, volumeDensity } from './volume-profile.js';
export { paperMarketTime } from './market-clock.js';
export { resetPaperAccount, paperAccountSummary, type PaperAccountSummary, type PaperHoldingSeed, type ResetPaperAccountOptions } from './account-admin.js';
export { DEFAULT_PAPER_ACCOUNT, DEFAULT_PAPER_CASH } from './paper-db.js';
export { sessionAt, localDate, nextWeekday, isWithinExchangeHours } from './session.js';
