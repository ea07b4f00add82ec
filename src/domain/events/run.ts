import type { BlockedLeg, Leg, SkippedLine } from '../plan.js';
import type { RunStatus } from '../run-status.js';

/** A run was recorded: what it trades, where, and the options it was started with. */
export interface RunCreated {
  type: 'run.created';
  payload: {
    runId: string;
    broker: string;
    account: string;
    tradingDate: string;
    targetHash: string;
    source: string;
    dryRun: boolean;
    options: Record<string, unknown>;
    /** The group rebalance this run is one account's part of (README "Rebalancing several accounts"); absent = a run of its own. */
    group?: string;
    /** The run of the same group whose unsent legs this run took over when its broker went down (README "Failover"). */
    failoverOf?: string;
    /** Why each leg was routed to this account, as the plan showed it. */
    routes?: RouteNote[];
  };
}

/** One leg's routing: what this account trades of it, and the router's reason. */
export interface RouteNote {
  symbol: string;
  exchange: string;
  side: 'buy' | 'sell';
  quantity: number;
  why: string;
}

/**
 * A run's broker went down (circuit open, session lost) and what it had not sent moved to
 * another account of its group as run `to`. What was sent stays with this run; orders whose
 * outcome was unknown were resolved at this broker first, and `kept` names what could not be.
 */
export interface RunFailover {
  type: 'run.failover';
  payload: {
    group: string;
    /** The new run (another account) that took the moved quantity. */
    to: string;
    toAccount: string;
    reason: string;
    moved: { leg: number; symbol: string; exchange: string; side: 'buy' | 'sell'; quantity: number }[];
    /** Quantity left with this run although unsent, and why (an order whose outcome could not be resolved). */
    kept: { leg: number; symbol: string; quantity: number; reason: string }[];
  };
}

/** The plan of a run, as it will be traded. */
export interface RunPlanned {
  type: 'run.planned';
  payload: {
    legs: Leg[];
    skipped: SkippedLine[];
    /** Legs of the plan the pre-trade checks blocked and `--allow-partial` left out. */
    blocked?: BlockedLeg[];
    notes: string[];
    accountValue: number;
    cashBefore: number;
    currency: string;
  };
}

export interface RunStatusChanged {
  type: 'run.status';
  payload: { status: RunStatus; reason?: string; summary?: Record<string, unknown> };
}

/**
 * A request to steer a run, from the CLI (`ptexec pause|resume|cancel`) or the dashboard keys.
 * The process executing the run polls for these and acts; `leg` absent = the whole run.
 */
export interface RunControlRequested {
  type: 'run.control';
  payload: { action: 'pause' | 'resume' | 'cancel'; leg?: number; by: string };
}

/** Something the user should see (rejection, retry, reconnect, circuit open, …). */
export interface RunAlert {
  type: 'run.alert';
  payload: { level: 'info' | 'warn' | 'error'; source: string; message: string; leg?: number };
}

/**
 * The engine paused or resumed a leg (acting on a `run.control`, or resuming a run paused when
 * its process stopped), at the event's market time. A pause moves the leg's schedule and horizon
 * by the time it lasted: `deadline` is the leg's new backstop (market time).
 */
export interface LegPaused {
  type: 'leg.paused';
  payload: { leg: number; clientOrderId: string };
}

export interface LegResumed {
  type: 'leg.resumed';
  payload: { leg: number; clientOrderId: string; pausedMs: number; totalPausedMs: number; deadline: number };
}

/**
 * An automatic breaker (risk config `breakers`) tripped: what it measured, against which limit,
 * and what it paused (`leg` absent = the whole run). `ptexec resume` continues it; a breaker
 * trips at most once per run or leg, so a resumed run is not paused again for the same reason.
 */
export interface RunBreakerTripped {
  type: 'run.breaker_tripped';
  payload: { breaker: BreakerName; value: number; limit: number; unit: string; message: string; leg?: number };
}

export type BreakerName = 'run_slippage' | 'run_loss' | 'spread' | 'volatility' | 'circuit';

export type RunEvent = RunCreated | RunPlanned | RunStatusChanged | RunControlRequested | RunAlert | LegPaused | LegResumed | RunBreakerTripped | RunFailover;
