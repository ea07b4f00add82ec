import type { Funds, Holding, Position } from '../../domain/account.js';
import type { ChargeSchedules } from '../charges/schedule.js';
import { chargesByTrade } from '../charges/trade-charges.js';
import type { RunOrder } from '../tca/run-orders.js';
import type { MarketSample } from '../tca/types.js';
import type { RecordedFill } from '../../domain/fill.js';

/**
 * What post-trade reads from the store. The store's PostTradeQueries implements it; the engine
 * depends only on this shape, so it stays free of SQL and testable with plain arrays.
 */
export interface PostTradeReader {
  fills(filter?: { runId?: string; broker?: string; account?: string; afterSeq?: number }): RecordedFill[];
  /** Every fill of the contract notes the given fills belong to (runs in `exceptRuns` are complete in `fills`). */
  fillsAround(fills: readonly RecordedFill[], exceptRuns?: readonly string[]): RecordedFill[];
  orders(filter?: { runId?: string; runIds?: string[] }): RunOrder[];
  samples(exchange: string, symbol: string, fromTs?: number, toTs?: number): MarketSample[];
  lastSample(exchange: string, symbol: string): MarketSample | undefined;
  /** Each window's samples and its instrument's latest sample, read at once (a report over many legs). */
  sampleWindows(windows: readonly { exchange: string; symbol: string; fromTs: number; toTs: number }[]): { samples: MarketSample[]; last: MarketSample | undefined }[];
  bookedCharges(): Map<string, number>;
  settlementResolutions(): Map<string, { status: 'pending' | 'settled' | 'failed'; difference: number | null; reason: string | null }>;
  latestSnapshot(broker: string, account?: string): { seq: number; ts: number; holdings: Holding[]; positions: Position[]; funds: Funds } | undefined;
  firstSnapshot(broker: string, account?: string): { seq: number; ts: number; holdings: Holding[]; positions: Position[]; funds: Funds } | undefined;
}

/**
 * Charges per trade for `fills`, reading the rest of their contract notes from the store.
 * `completeness`: `'all'` when `fills` is every fill of its broker accounts (nothing else to
 * read), or the runs whose fills are all included.
 */
export function chargesForFills(
  reader: PostTradeReader,
  schedules: ChargeSchedules,
  fills: readonly RecordedFill[],
  completeness: 'all' | readonly string[] = [],
): { charges: Map<string, number>; unpriced: string[] } {
  const notes = completeness === 'all' ? fills : reader.fillsAround(fills, completeness);
  return chargesByTrade(schedules, notes, reader.bookedCharges());
}
