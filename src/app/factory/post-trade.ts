import type { Instrument } from '../../domain/instrument.js';
import type { Side } from '../../domain/side.js';
import { chargesForTrade } from '../../engine/charges/contract-note.js';
import { loadChargeSchedules } from '../loaders/charge-schedules.js';
import type { ChargeSchedules } from '../../engine/charges/schedule.js';
import { FillBookings } from '../../engine/ledger/after-fills.js';
import type { RuntimeDeps } from '../../engine/runtime/execution-runtime.js';
import type { Config } from '../../lib/config.js';
import { configDir } from '../../lib/paths.js';
import { PostTradeQueries } from '../../store/posttrade-queries.js';
import type { Store } from '../../store/store.js';

export interface PostTrade {
  schedules: ChargeSchedules;
  /** Books each contract note's charges and each trade's T+1 settlement date as fills are recorded. */
  afterFills: NonNullable<RuntimeDeps['afterFills']>;
  /** The charges of one leg, estimated in the plan (0 where no schedule covers the market). */
  estimateCharges(side: Side, instrument: Instrument, quantity: number, price: number): number;
}

/** Charges and settlement for a run on `brokerId`. */
export function postTradeHooks(store: Store, config: Config, brokerId: string, env: NodeJS.ProcessEnv): PostTrade {
  const schedules = loadChargeSchedules({ config: config.charges, configDir: configDir(env) });
  const queries = new PostTradeQueries(store);
  const known = schedules.has(brokerId);
  const bookings = new FillBookings(queries, schedules);
  return {
    schedules,
    afterFills: (fills, marketTs) => bookings.eventsFor(fills, fills[0]?.runId ?? null, marketTs),
    estimateCharges: (side, instrument, quantity, price) =>
      known && schedules.forMarket(brokerId, instrument.exchange) ? chargesForTrade(schedules, brokerId, { exchange: instrument.exchange, symbol: instrument.symbol, side, quantity, price }).total : 0,
  };
}
