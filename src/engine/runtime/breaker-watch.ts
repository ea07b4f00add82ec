import type { StoredEvent } from '../../domain/events/index.js';
import type { Quote } from '../../domain/instrument.js';
import type { BreakerLimits, BreakerTrip } from '../risk/breakers/breaker-trip.js';
import { circuitTrip } from '../risk/breakers/circuit-limit.js';
import { runLossTrip } from '../risk/breakers/run-loss.js';
import { runSlippageTrip } from '../risk/breakers/run-slippage.js';
import { spreadTrip } from '../risk/breakers/spread.js';
import { volatilityTrip } from '../risk/breakers/volatility.js';
import type { LegBreakers, RuntimeContext } from './runtime-context.js';
import { isOpen, type ParentOrder } from './runtime-state.js';

/**
 * The automatic breakers (risk config `breakers`): the run's after every engine step with the
 * broker's reports (fills), a leg's on each quote its algorithm decides on. A trip records
 * `run.breaker_tripped` and pauses the run (slippage, loss) or the leg (spread, volatility,
 * circuit) as `ptexec pause` does, so `ptexec resume` continues it. Each breaker trips at most
 * once per run or leg — also across a restart, read back from the log — so resuming is the
 * user's decision to carry on despite it.
 */
export class BreakerWatch implements LegBreakers {
  private readonly tripped = new Set<string>();
  /** The spread each leg first showed this process: its normal. */
  private readonly normalSpread = new Map<string, number>();
  /** Each leg's mids over the volatility window, oldest first (market time). */
  private readonly recentMids = new Map<string, { ts: number; mid: number }[]>();

  constructor(
    private readonly ctx: RuntimeContext,
    private readonly limits: BreakerLimits | undefined,
  ) {}

  /** The trips an earlier process recorded for this run. */
  remember(events: readonly StoredEvent[]): void {
    for (const e of events) if (e.type === 'run.breaker_tripped') this.tripped.add(keyOf(e.payload));
  }

  /** The run-wide breakers, after every engine step (fills change what the run has cost). */
  check(): void {
    const { limits } = this;
    const { run } = this.ctx;
    if (!limits || run.halted || run.interrupted || run.cancelling) return;
    // Asked after every step with fills: what it reads is kept as fills are recorded, so the
    // look costs the same at any number of legs (summing every leg made a run's cost quadratic).
    const first = run.firstOpen();
    if (!first) return;
    const cost = run.arrivalCost;
    const currency = first.instrument.currency;
    for (const trip of [runSlippageTrip(cost, limits.run_slippage.max_bps), runLossTrip(cost, limits.run_loss.max_value, currency)]) {
      if (trip && this.trip(trip)) {
        for (const p of run.parents.values()) if (isOpen(p.status)) this.ctx.parts.legs.pause(p);
        this.ctx.record([this.ctx.event('run.status', { status: 'paused', reason: trip.message })]);
      }
    }
  }

  /**
   * The leg's breakers, on the quote its algorithm is about to decide on: a leg that trips
   * pauses before it sends anything more.
   */
  pausedLeg(p: ParentOrder, quote: Quote): boolean {
    const { limits } = this;
    if (!limits) return false;
    const spread = quote.ask - quote.bid;
    if (!this.normalSpread.has(p.parentId) && spread > 0) this.normalSpread.set(p.parentId, spread);
    const leg = { index: p.leg.index, symbol: p.leg.symbol };
    const normal = this.normalSpread.get(p.parentId);
    const trips = [
      normal === undefined ? undefined : spreadTrip(leg, quote, normal, p.instrument.tickSize, limits.spread.max_multiple),
      limits.volatility.max_multiple === null ? undefined : volatilityTrip(leg, this.recentMove(p, quote, limits.volatility.window_seconds), p.instrument.volatility, limits.volatility.max_multiple),
      circuitTrip(leg, quote, limits.circuit),
    ];
    for (const trip of trips) {
      if (trip && this.trip(trip)) {
        this.ctx.parts.legs.pause(p);
        return true;
      }
    }
    return false;
  }

  /** The mid's move from the oldest sample still inside the window to this quote. */
  private recentMove(p: ParentOrder, quote: Quote, windowSeconds: number): { from: number; to: number; seconds: number } {
    const mid = (quote.bid + quote.ask) / 2;
    const samples = this.recentMids.get(p.parentId) ?? [];
    this.recentMids.set(p.parentId, samples);
    while (samples.length && samples[0]!.ts < quote.ts - windowSeconds * 1000) samples.shift();
    const from = samples[0];
    samples.push({ ts: quote.ts, mid });
    return from ? { from: from.mid, to: mid, seconds: (quote.ts - from.ts) / 1000 } : { from: mid, to: mid, seconds: 0 };
  }

  /** Records a trip unless this breaker already tripped for the same scope. */
  private trip(trip: BreakerTrip): boolean {
    const key = keyOf(trip);
    if (this.tripped.has(key)) return false;
    this.tripped.add(key);
    this.ctx.record([this.ctx.event('run.breaker_tripped', trip)]);
    return true;
  }
}

function keyOf(trip: Pick<BreakerTrip, 'breaker' | 'leg'>): string {
  return `${trip.breaker}:${trip.leg ?? 'run'}`;
}
