import type { Funds, Holding, Position } from './account.js';
import type { LegCostEstimate, RunCostEstimate } from './cost-estimate.js';
import type { Instrument, InstrumentKey, Quote } from './instrument.js';
import type { OrderClass, OrderType } from './order.js';
import type { Side } from './side.js';
import type { Trail } from './trailing-stop.js';

/** Everything the planner and the risk gate know about the account at the start of a run. */
export interface AccountSnapshot {
  broker: string;
  account: string;
  takenAt: number;
  funds: Funds;
  holdings: Holding[];
  /** Today's net positions (delivery and intraday), when the broker reports them. */
  positions?: Position[];
  /** The broker's `holdingsIncludeTodaysTrades`: how to read holdings and positions (`ownedInstruments`). */
  holdingsIncludeTodaysTrades: boolean;
  /** The broker's `simulatedMarket`: its session is its own unless it follows the exchange calendar. */
  simulatedMarket: boolean;
  instruments: Map<InstrumentKey, Instrument>;
  quotes: Map<InstrumentKey, Quote>;
}

/** How a leg is to be worked: the algorithm and its parameters (issue: execution engine). */
export interface ExecutionSpec {
  algo: string;
  orderType: OrderType;
  limitPrice?: number;
  /** Stop and stop-limit legs: the trigger (minor units, on the tick). */
  triggerPrice?: number;
  /** Trailing-stop legs: how far the stop trails the market (a percent or a price offset). */
  trail?: Trail;
  /**
   * `bracket`: the leg's entry (market or limit) carries protective exits on the opposite side;
   * `oco`: the leg is sent as a take-profit limit and a stop, one cancelling the other. Such legs,
   * and stop/stop-limit legs, are sent as one order (README "Order types").
   */
  orderClass?: Exclude<OrderClass, 'simple'>;
  takeProfit?: { limitPrice: number };
  stopLoss?: { triggerPrice: number; limitPrice?: number };
  params: Record<string, string | number | boolean>;
  /** `rebalance --amo`: every order of the leg is an after-market order for the next session. */
  afterMarket?: boolean;
}

/** Whether a leg is sent as one conditional or linked order (never sliced by an algorithm). */
export function isSingleOrderExecution(spec: Pick<ExecutionSpec, 'orderType' | 'orderClass'>): boolean {
  return spec.orderType === 'stop' || spec.orderType === 'stop_limit' || spec.orderType === 'trailing_stop' || spec.orderClass !== undefined;
}

/** One line of a rebalance: move `symbol` from `current` to `target` shares. */
export interface Leg {
  /** Position in the plan, stable across resumes; part of client order ids. */
  index: number;
  symbol: string;
  exchange: Instrument['exchange'];
  side: Side;
  /** Shares to trade, a positive multiple of the lot size. */
  quantity: number;
  current: number;
  target: number;
  /** Decision price (minor units): from the target file, else the snapshot's last price. */
  decisionPrice: number;
  /** Estimated execution price (minor units) used for value and cash checks. */
  estimatedPrice: number;
  estimatedValue: number;
  /** Estimated charges of the leg (minor units), from the broker's charge schedule. */
  estimatedCharges?: number;
  limitPrice?: number;
  execution: ExecutionSpec;
  notes: string[];
  /** The pre-trade cost estimate (README "Cost estimates"); absent in plans recorded before estimates. */
  estimate?: LegCostEstimate;
  /** Why `--algo auto` chose this leg's algorithm and horizon. */
  algoReason?: string;
}

export interface SkippedLine {
  symbol: string;
  exchange: string;
  reason: string;
  /**
   * The account is not at this line's target and the run will not trade it (the buy did not fit
   * the cash): a run with such a line is never complete.
   */
  unmet?: true;
}

/** A planned leg the pre-trade checks blocked, left out of the run by `--allow-partial`. */
export interface BlockedLeg {
  leg: number;
  symbol: string;
  exchange: string;
  side: Side;
  quantity: number;
  reasons: { rule: string; message: string }[];
}

export interface Plan {
  legs: Leg[];
  /** Symbols whose target equals the current holding, fell inside the no-trade band, or did not fit the cash. */
  skipped: SkippedLine[];
  notes: string[];
  /** Band trading found every line inside its band: nothing is planned (README "Drift and bands"). */
  insideBands?: true;
  accountValue: number;
  cashBefore: number;
  estimatedCashAfter: number;
  currency: Funds['currency'];
  /** The estimated legs' total cost (README "Cost estimates"). */
  estimate?: RunCostEstimate;
}
