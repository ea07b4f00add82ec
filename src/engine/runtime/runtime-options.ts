import type { Broker } from '../../brokers/broker.js';
import type { Clock } from '../../domain/clock.js';
import type { NewEvent, StoredEvent } from '../../domain/events/index.js';
import type { RecordedFill } from '../../domain/fill.js';
import type { Instrument, InstrumentKey } from '../../domain/instrument.js';
import type { BusyPolicy, EventLog } from '../ports.js';
import type { BreakerLimits } from '../risk/breakers/breaker-trip.js';
import type { HaltState, OrderGuard } from './guards.js';

export interface RuntimeOptions {
  /** How long a leg may work before its open children are cancelled (market/limit legs). */
  defaultHorizonMs: number;
  /** How often the kill switch and run controls are read. */
  pollMs: number;
  /** Re-read the broker's order book when a live order has been silent this long. */
  staleOrderMs: number;
  /** Unknown-outcome resolution: order-book look-ups before concluding the order never arrived. */
  lookupAttempts: number;
  lookupDelayMs: number;
  /** Quotes are re-read at most this often (real brokers rate-limit quotes). */
  quoteMaxAgeMs: number;
  /** A market sample (for VWAP benchmarks and markouts) is recorded at most this often per symbol. */
  sampleIntervalMs: number;
  /**
   * Intraday volume curves from the user's files (config `volume_profiles`), per exchange, as
   * cumulative fractions at the end of equal bins: VWAP follows them instead of the broker's.
   */
  volumeProfiles?: ReadonlyMap<string, readonly number[]>;
  /** The automatic breakers (risk config `breakers`); absent = none. */
  breakers?: BreakerLimits;
  /**
   * A broker whose circuit breaker opened and that still does not answer this long after stops
   * the run, resumably (outage-watch.ts): a group run with failover sets it. Absent = the run
   * waits for its broker, retrying.
   */
  brokerDownAfterMs?: number;
}

export const DEFAULT_RUNTIME_OPTIONS: RuntimeOptions = {
  defaultHorizonMs: 15 * 60_000,
  pollMs: 250,
  staleOrderMs: 10_000,
  lookupAttempts: 4,
  lookupDelayMs: 500,
  quoteMaxAgeMs: 1_000,
  sampleIntervalMs: 5_000,
};

/** What a runtime works with: the log, the broker, the clock, the run and its instruments, and the optional hooks. */
export interface RuntimeDeps {
  log: EventLog;
  broker: Broker;
  clock: Clock;
  runId: string;
  instruments: Map<InstrumentKey, Instrument>;
  guard?: OrderGuard;
  halt?: HaltState;
  /** Ctrl-C: stop sending new orders; the run ends `interrupted` and is resumable. */
  signal?: AbortSignal;
  /** Every appended event, for the dashboard or progress lines. */
  onEvents?: (events: StoredEvent[]) => void;
  options?: Partial<RuntimeOptions>;
  /**
   * Called at the points where a crash is most dangerous (after an intent is recorded, after the
   * broker acknowledged but before we recorded it, around fills). The crash tests make it kill
   * the process; in normal use it is absent.
   */
  failpoint?: (name: string) => void;
  /**
   * Post-trade bookings (charges per contract note, settlement dates) for the fills recorded in
   * one engine step; the events it returns commit in the same transaction as the fills.
   */
  afterFills?: (fills: RecordedFill[], marketTs: number) => NewEvent[];
  /** Another process holding the database: how long to wait for it (default: a few seconds). */
  busy?: BusyPolicy;
}
