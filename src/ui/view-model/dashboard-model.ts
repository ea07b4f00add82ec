import type { Currency } from '../../domain/money.js';
import type { Side } from '../../domain/side.js';
import type { LegOrderKind } from './leg-order.js';
import type { LegStatus } from '../../domain/leg-status.js';

/**
 * What the dashboard shows, as plain data: a snapshot taken from the view model at render time.
 * Money and prices stay integers in minor units; formatting happens in the panels.
 */

/** Displayed run state: the run's own status, or `halted` while the kill switch is engaged. */
export type RunPhase = 'waiting' | 'planned' | 'running' | 'paused' | 'halted' | 'completed' | 'partial' | 'incomplete' | 'blocked' | 'interrupted' | 'failed';

export interface KillSwitchView {
  engaged: boolean;
  reason: string | null;
  since: number | null;
}

export interface HeaderView {
  runId: string | null;
  brokers: string[];
  account: string | null;
  /** Distinct algorithms of the legs, in plan order. */
  algos: string[];
  dryRun: boolean;
  currency: Currency;
  phase: RunPhase;
  /** The run's recorded status reason, if any. */
  statusReason: string | null;
  /**
   * The market clock now (the engine's clock: the exchange's time, or the paper market's
   * simulated time), frozen once the run has ended; with the exchange whose time zone it is read in.
   */
  marketTs: number | null;
  marketExchange: string | null;
  /** The market clock is the paper market's own, not the wall clock (it may run ahead and faster). */
  simulated: boolean;
  /** The run's `--speed` (`max`, or N times real time), when it was given. */
  speed: string | null;
  /** Session label from the market calendar (`open`, `closed`, `pre-open`, …) when one is wired. */
  session: string | null;
  /** Market time at which the run started. */
  startedAt: number | null;
  /**
   * Time the run has spent running on the market clock: it stands still while the run is paused
   * (frozen once the run has ended).
   */
  elapsedMs: number | null;
  /** Time the run has spent paused (the current pause so far included); null if it never was. */
  pausedMs: number | null;
  /** Legs paused now (a run pause pauses them all). */
  pausedLegs: number;
  /** How far pauses have moved the end of the working legs' horizons (a pause extends them). */
  horizonShiftMs: number | null;
  /** Market time the working legs' horizons end, pauses included. */
  endsAt: number | null;
  /** Market time left until the longest leg horizon ends, when the algorithms declare one. */
  remainingMs: number | null;
  /** The kill switch; `since` is the wall-clock time it was engaged. */
  killSwitch: KillSwitchView;
  /** Wall-clock time the last event was recorded. */
  lastEventTs: number | null;
  /** Wall-clock time since the last event while the run is running (a crashed run goes quiet); null when ended or paused. */
  quietMs: number | null;
  lastSeq: number;
}

export interface LegView {
  index: number;
  symbol: string;
  exchange: string;
  side: Side;
  algo: string;
  quantity: number;
  filled: number;
  /** Σ quantity × price of the fills, minor units. */
  filledValue: number;
  avgPrice: number | null;
  arrivalPrice: number | null;
  decisionPrice: number | null;
  /** s·(P̄ − P₀)/P₀·10⁴; positive = cost. */
  slippageBps: number | null;
  /** Own filled volume / market volume since the leg started (own included), 0..1. */
  participation: number | null;
  openChildren: number;
  /** The leg's status in the leg vocabulary (src/domain/leg-status.ts): planned, working, paused, complete, … */
  status: LegStatus;
  lastReason: string | null;
  /** The order the leg is sent as when its line names one; null for a leg an algorithm works. */
  orderKind: LegOrderKind | null;
  /** That order with its prices: `stop at 1560.00`, `bracket: entry market, take-profit …`. */
  order: string | null;
  /** The same as progress lines say it: `with a stop at 1560.00`. */
  orderPhrase: string | null;
  /** Why the router gave this leg to the run's account (a group rebalance's `routes`); null for a run of its own. */
  route: string | null;
}

export interface TotalsView {
  orderedQuantity: number;
  filledQuantity: number;
  /** Σ |traded value| (buys and sells), minor units. */
  tradedValue: number;
  boughtValue: number;
  soldValue: number;
  /** Implementation shortfall so far (delay + trading + opportunity at the latest price + charges). */
  shortfall: number;
  shortfallBps: number | null;
  charges: number;
  /** filled / ordered, 0..1. */
  fillRate: number | null;
  fills: number;
}

export type SettlementState = 'pending' | 'settled' | 'failed';

export interface SettlementRowView {
  /** Settlement date (ISO), or null when no market calendar is wired. */
  date: string | null;
  exchange: string;
  trades: number;
  /** Trades confirmed settled / failed (the rest are pending). */
  settled: number;
  failed: number;
  /** Cash due to the broker for buys (minor units). */
  payIn: number;
  /** Cash due from the broker for sells (minor units). */
  payOut: number;
  /** `failed` if any trade failed, `settled` when all have settled, else `pending`. */
  state: SettlementState;
}

export type AlertLevel = 'info' | 'warn' | 'error';

export interface AlertView {
  seq: number;
  /** Market time (the run's clock) when it was raised. */
  ts: number;
  level: AlertLevel;
  source: string;
  message: string;
  leg: number | null;
}

export interface FillView {
  seq: number;
  /** The trade's market time. */
  ts: number;
  leg: number | null;
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
}

export interface DashboardSnapshot {
  header: HeaderView;
  /** The model's list, changed in place by its next snapshot. */
  legs: readonly LegView[];
  totals: TotalsView;
  settlement: SettlementRowView[];
  /** Newest last. */
  alerts: AlertView[];
  /** The run has reached a final status: nothing more will change. */
  ended: boolean;
}
