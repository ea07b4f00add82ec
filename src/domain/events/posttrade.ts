import type { Exchange } from '../instrument.js';

/** One contract note of one scrip: (broker, account, exchange, symbol, trading date). */
export interface NoteKey {
  broker: string;
  account: string;
  exchange: Exchange;
  symbol: string;
  tradingDate: string;
}

/** One charge of a contract note (brokerage, STT, …). */
export interface ChargeLine {
  id: string;
  label: string;
  /** Minor units. */
  amount: number;
  uncertain: boolean;
}

/**
 * The contract note of one scrip-day as it stands after a fill: its charges replace those of the
 * note's earlier booking (the STT rounding of a day changes as its fills arrive). `trades` is
 * every trade of the note, each with its share, or, when `incremental`, only the trades this
 * booking adds: the earlier trades keep the shares they were booked with.
 */
export interface ChargesBooked {
  type: 'charges.booked';
  payload: NoteKey & {
    scheduleId: string;
    currency: string;
    components: ChargeLine[];
    total: number;
    /** Each trade's share of the note (minor units), by charge id. */
    trades: { tradeId: string; total: number; components: Record<string, number> }[];
    incremental?: boolean;
  };
}
