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

export type RunEvent = RunCreated | RunPlanned | RunStatusChanged | RunControlRequested | RunAlert | LegPaused | LegResumed | RunBreakerTripped;
