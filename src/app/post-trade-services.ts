import type { Instrument } from '../domain/instrument.js';
import type { Side } from '../domain/side.js';
import { chargesForTrade } from '../engine/charges/contract-note.js';
import { loadChargeSchedules } from './loaders/charge-schedules.js';
import { postTradeEventsForFills } from '../engine/ledger/after-fills.js';
import type { RuntimeDeps } from '../engine/runtime/execution-runtime.js';
import type { Config } from '../lib/config.js';
import { configDir } from '../lib/paths.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import type { Store } from '../store/store.js';

/**
 * Charges and settlement for a run on `brokerId`: estimated per leg in the plan, and booked per
 * contract note (with each trade's T+1 settlement date) as fills are recorded.
 */
export function postTradeHooks(store: Store, config: Config, brokerId: string) {
  const schedules = loadChargeSchedules({ config: config.charges, configDir: configDir() });
  const queries = new PostTradeQueries(store);
  const known = schedules.has(brokerId);
  const afterFills: NonNullable<RuntimeDeps['afterFills']> = (fills, marketTs) => postTradeEventsForFills(queries, schedules, fills, fills[0]?.runId ?? null, marketTs);
  const estimateCharges = (side: Side, instrument: Instrument, quantity: number, price: number): number =>
    known && schedules.forMarket(brokerId, instrument.exchange) ? chargesForTrade(schedules, brokerId, { exchange: instrument.exchange, symbol: instrument.symbol, side, quantity, price }).total : 0;
  return { schedules, afterFills, estimateCharges };
}
