import type { NewEvent } from '../../domain/events/index.js';
import { chargeBookingEvents, noteKeyOf, noteKeyString } from '../charges/trade-charges.js';
import type { ChargeSchedules } from '../charges/schedule.js';
import { settlementEvents } from '../settlement/settlement-date.js';
import type { PostTradeReader } from './post-trade-reader.js';
import type { RecordedFill } from '../../domain/fill.js';

/**
 * The post-trade events to append after new fills have been recorded: the re-booked contract
 * notes they touch (`charges.booked`) and their settlement dates (`settlement.scheduled`).
 * Call it once per engine step with that step's fills, after they are in the store, and append
 * the result in the same or the next transaction.
 */
export function postTradeEventsForFills(reader: PostTradeReader, schedules: ChargeSchedules, newFills: readonly RecordedFill[], runId: string | null, marketTs?: number): NewEvent[] {
  if (newFills.length === 0) return [];
  const around = reader.fillsAround(newFills);
  const byNote = new Map<string, RecordedFill[]>();
  for (const f of around) {
    const k = noteKeyString(noteKeyOf(f));
    const list = byNote.get(k);
    if (list) list.push(f);
    else byNote.set(k, [f]);
  }
  const charges = chargeBookingEvents(schedules, newFills, (key) => byNote.get(noteKeyString(key)) ?? [], runId, marketTs);
  return [...charges, ...settlementEvents(newFills, marketTs)];
}
