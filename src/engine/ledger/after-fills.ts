import type { ChargesBooked, NewEvent } from '../../domain/events/index.js';
import type { RecordedFill } from '../../domain/fill.js';
import { RunningNote } from '../charges/running-note.js';
import { chargeableOf, groupByNote, noteKeyOf, noteKeyString, scheduleIdFor, type NoteKey } from '../charges/trade-charges.js';
import type { ChargeSchedules } from '../charges/schedule.js';
import { settlementEvents } from '../settlement/settlement-date.js';
import type { PostTradeReader } from './post-trade-reader.js';

/**
 * The post-trade events to append after new fills have been recorded: the contract notes they
 * add to (`charges.booked`) and their settlement dates (`settlement.scheduled`). Call `eventsFor`
 * once per engine step with that step's fills, after they are in the store, and append the
 * result in the same transaction.
 *
 * Each note is kept as it stands (RunningNote): a note is read from the store once, when a fill
 * first touches it, and each booking then carries the note's totals and only the new trades'
 * shares, so booking costs the same per fill however many fills the day's note already has.
 */
export class FillBookings {
  private readonly notes = new Map<string, RunningNote>();

  constructor(
    private readonly reader: PostTradeReader,
    private readonly schedules: ChargeSchedules,
  ) {}

  eventsFor(newFills: readonly RecordedFill[], runId: string | null, marketTs?: number): NewEvent[] {
    if (newFills.length === 0) return [];
    return [...this.chargeEvents(newFills, runId, marketTs), ...settlementEvents(newFills, marketTs)];
  }

  private chargeEvents(newFills: readonly RecordedFill[], runId: string | null, marketTs: number | undefined): NewEvent<ChargesBooked>[] {
    const groups = [...groupByNote(newFills).entries()].filter(([, g]) => this.marketOf(g.key));
    this.openNotes(groups.filter(([id]) => !this.notes.has(id)).map(([, g]) => g));
    const events: NewEvent<ChargesBooked>[] = [];
    for (const [id, { key, fills }] of groups) {
      const note = this.notes.get(id)!;
      const trades: ChargesBooked['payload']['trades'] = [];
      for (const f of fills) if (!note.has(f.tradeId)) trades.push({ tradeId: f.tradeId, ...note.add(chargeableOf(f)) });
      if (trades.length === 0) continue;
      const market = this.marketOf(key)!;
      events.push({
        runId,
        type: 'charges.booked',
        marketTs,
        payload: { ...key, scheduleId: market.scheduleId, currency: market.currency, components: note.lines(), total: note.total(), trades, incremental: true },
      });
    }
    return events;
  }

  /** Notes first touched: what they already hold (booked earlier, by this process or another) is read once. */
  private openNotes(groups: { key: NoteKey; fills: RecordedFill[] }[]): void {
    if (groups.length === 0) return;
    const fresh = new Set(groups.flatMap((g) => g.fills.map((f) => f.tradeId)));
    for (const g of groups) this.notes.set(noteKeyString(g.key), new RunningNote(this.marketOf(g.key)!));
    for (const f of this.reader.fillsAround(groups.flatMap((g) => g.fills))) {
      if (fresh.has(f.tradeId)) continue;
      const note = this.notes.get(noteKeyString(noteKeyOf(f)));
      if (note && !note.has(f.tradeId)) note.add(chargeableOf(f));
    }
  }

  private marketOf(key: NoteKey) {
    return this.schedules.forMarket(scheduleIdFor(key.broker), key.exchange, key.tradingDate);
  }
}
