import type { PayloadOf } from '../../domain/events/index.js';
import type { Side } from '../../domain/side.js';
import type { SettlementRowView, SettlementState } from './dashboard-model.js';

/**
 * The market calendar functions the view model needs for the settlement panel and the session
 * label. The command wires the engine's calendar in; without one, settlement dates read as
 * unknown rather than guessed.
 */
export interface DashboardCalendar {
  tradingDate(exchange: string, ts: number): string;
  addBusinessDays(exchange: string, isoDate: string, days: number): string;
  /** The session at an instant, as a name or as the engine calendar's `{ state }` object. */
  sessionState?(exchange: string, ts: number): string | { state: string };
}

interface TradeSettlement {
  exchange: string;
  date: string | null;
  side: Side;
  value: number;
  state: SettlementState;
}

/** A fill as the settlement panel needs it: the trade it belongs to, where and when it traded. */
export interface SettlingTrade {
  broker: string;
  tradeId: string;
  exchange: string;
  ts: number;
  side: Side;
  value: number;
}

const MINUTE_MS = 60_000;

/**
 * The settlement panel's rows (date × exchange) and the run's charges, projected from its fills,
 * the settlement area's schedule and resolutions, and the contract-note bookings.
 */
export class SettlementProjection {
  private readonly rows = new Map<string, SettlementRowView>();
  /** Per trade (broker|tradeId): where it settles, so scheduled/resolved events can move it. */
  private readonly trades = new Map<string, TradeSettlement>();
  /** Charges allocated per trade of this run by the latest booking of its contract note. */
  private readonly tradeCharges = new Map<string, number>();
  private readonly runTrades = new Set<string>();
  /** Note totals for bookings that carry no per-trade allocation. */
  private readonly noteCharges = new Map<string, number>();
  private readonly tradingDates = new Map<string, string>();
  private readonly settleDates = new Map<string, string>();
  private chargesTotal = 0;

  constructor(private readonly calendar: DashboardCalendar | undefined) {}

  /** The charges booked on this run's trades so far, in minor units. */
  get charges(): number {
    return this.chargesTotal;
  }

  /** The rows, by date then exchange. */
  view(): SettlementRowView[] {
    return [...this.rows.values()].sort(compareSettlement);
  }

  /** A fill of this run: its trade settles T+1 unless the settlement area already scheduled it. */
  onFill(fill: SettlingTrade): void {
    const key = tradeKey(fill.broker, fill.tradeId);
    if (!this.trades.has(key)) this.setTrade(key, { exchange: fill.exchange, date: this.settlementDate(fill.exchange, fill.ts), side: fill.side, value: fill.value, state: 'pending' });
    if (!this.runTrades.has(key)) {
      this.runTrades.add(key);
      this.chargesTotal += this.tradeCharges.get(key) ?? 0; // booked before its fill arrived here
    }
  }

  /**
   * A booking carries the whole contract note of one scrip-day as it stands, so a later booking
   * replaces the earlier one: per-trade allocations replace that trade's charge (counted when the
   * trade is this run's), and a note without allocations replaces its own total.
   */
  onCharges(p: PayloadOf<'charges.booked'>): void {
    if (p.trades.length > 0) {
      for (const t of p.trades) {
        const key = tradeKey(p.broker, t.tradeId);
        const before = this.tradeCharges.get(key) ?? 0;
        this.tradeCharges.set(key, t.total);
        if (this.runTrades.has(key)) this.chargesTotal += Math.round(t.total - before);
      }
      return;
    }
    const note = [p.broker, p.account, p.exchange, p.symbol, p.tradingDate].join('|');
    this.chargesTotal += Math.round(p.total - (this.noteCharges.get(note) ?? 0));
    this.noteCharges.set(note, p.total);
  }

  /** The settlement area's own schedule for a trade wins over the date derived from the fill. */
  onScheduled(p: PayloadOf<'settlement.scheduled'>): void {
    const key = tradeKey(p.broker, p.tradeId);
    const known = this.trades.get(key);
    this.setTrade(key, { exchange: p.exchange, date: p.settleDate || (known?.date ?? null), side: p.side, value: p.value, state: known?.state ?? 'pending' });
  }

  onResolved(p: PayloadOf<'settlement.resolved'>): void {
    const key = tradeKey(p.broker, p.tradeId);
    const known = this.trades.get(key);
    if (known) this.setTrade(key, { ...known, state: p.status });
  }

  /** Moves a trade's contribution between settlement rows (date × exchange). */
  private setTrade(key: string, next: TradeSettlement): void {
    const before = this.trades.get(key);
    if (before) this.addToRow(before, -1);
    this.trades.set(key, next);
    this.addToRow(next, 1);
  }

  private addToRow(trade: TradeSettlement, sign: 1 | -1): void {
    const rowKey = `${trade.exchange}|${trade.date ?? ''}`;
    let row = this.rows.get(rowKey);
    if (!row) {
      row = { date: trade.date, exchange: trade.exchange, trades: 0, settled: 0, failed: 0, payIn: 0, payOut: 0, state: 'pending' };
      this.rows.set(rowKey, row);
    }
    row.trades += sign;
    if (trade.state === 'settled') row.settled += sign;
    if (trade.state === 'failed') row.failed += sign;
    if (trade.side === 'buy') row.payIn += sign * trade.value;
    else row.payOut += sign * trade.value;
    row.state = row.failed > 0 ? 'failed' : row.trades > 0 && row.settled === row.trades ? 'settled' : 'pending';
    if (row.trades <= 0) this.rows.delete(rowKey);
  }

  /** T+1 business day of the trade's trading date; cached per minute so fill bursts stay cheap. */
  private settlementDate(exchange: string, ts: number): string | null {
    const calendar = this.calendar;
    if (!calendar || !exchange) return null;
    const minuteKey = `${exchange}|${Math.floor(ts / MINUTE_MS)}`;
    try {
      let tradeDate = this.tradingDates.get(minuteKey);
      if (tradeDate === undefined) {
        tradeDate = calendar.tradingDate(exchange, ts);
        this.tradingDates.set(minuteKey, tradeDate);
      }
      const dateKey = `${exchange}|${tradeDate}`;
      let settle = this.settleDates.get(dateKey);
      if (settle === undefined) {
        settle = calendar.addBusinessDays(exchange, tradeDate, 1);
        this.settleDates.set(dateKey, settle);
      }
      return settle;
    } catch {
      // An exchange the calendar does not know: the date is shown as unknown, not invented.
      return null;
    }
  }
}

function tradeKey(broker: string, tradeId: string): string {
  return `${broker}|${tradeId}`;
}

function compareSettlement(a: SettlementRowView, b: SettlementRowView): number {
  return (a.date ?? '').localeCompare(b.date ?? '') || a.exchange.localeCompare(b.exchange);
}
