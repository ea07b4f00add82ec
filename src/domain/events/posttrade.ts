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
 * The whole contract note of one scrip-day as it stands after a fill: a later booking of the
 * same note replaces the earlier one (the STT rounding of a day changes as its fills arrive).
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
  };
}
