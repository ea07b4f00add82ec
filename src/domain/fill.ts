import type { Exchange } from './instrument.js';
import type { Side } from './side.js';

/**
 * A fill as recorded (the `fills` projection), read by post-trade and the store alike. Money and
 * prices in minor units; broker + trade id identifies it everywhere (charges, settlements).
 */
export interface RecordedFill {
  broker: string;
  tradeId: string;
  clientOrderId: string;
  brokerOrderId: string;
  runId: string | null;
  account: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  quantity: number;
  price: number;
  ts: number;
  seq: number;
}
