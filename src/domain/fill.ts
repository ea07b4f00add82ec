import type { Exchange } from './instrument.js';
import type { Side } from './side.js';

/**
 * One execution as a broker reports it. `tradeId` is unique per broker and is what de-duplicates
 * fills; the broker may not know our client order id (an order placed elsewhere).
 */
export interface Trade {
  tradeId: string;
  brokerOrderId: string;
  clientOrderId?: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  quantity: number;
  /** Minor units, on the tick. */
  price: number;
  /** When it traded, in the market's time. */
  ts: number;
}

/**
 * A trade of one of our orders, as the engine records it (the payload of `fill.recorded`): the
 * broker and account it traded in, and the client order it filled. Broker + trade id identifies
 * it everywhere (charges, settlements).
 */
export interface Fill extends Trade {
  clientOrderId: string;
  broker: string;
  account: string;
}

/**
 * A fill as recorded: its event's sequence number and run (the `fills` projection). What
 * post-trade (ledger, charges, settlement, TCA) and the store read.
 */
export interface RecordedFill extends Fill {
  runId: string | null;
  seq: number;
}

/**
 * Whether a fill advances its leg: a fill on the leg's side does, a bracket's exits trade the
 * other way (they protect what the leg bought, they do not fill it). An OCO's stop-loss trades
 * the leg's own side: its fills are the leg's.
 */
export function fillAdvancesLeg(legSide: Side, fillSide: Side): boolean {
  return fillSide === legSide;
}
