import { createPaperBroker, PAPER_BROKER_ID, resetPaperAccount } from '../../brokers/paper/index.js';
import type { LegCostEstimate } from '../../domain/cost-estimate.js';
import { mid } from '../../domain/instrument.js';
import { sideSign } from '../../domain/side.js';
import { VirtualClock } from '../../engine/clock/index.js';
import type { CostModel } from '../../engine/estimate/cost-model.js';
import { costHooks } from '../../engine/estimate/plan-hooks.js';
import { RebalanceService } from '../../engine/rebalance/rebalance-service.js';
import { validateRiskConfig } from '../../engine/risk/config.js';
import { executionFromFlags } from '../execution-spec.js';
import { openDatabase } from '../database.js';
import { storePorts } from '../factory/store-ports.js';
import { parseTargetPortfolio } from '../loaders/target-file.js';

/** One simulated path of one algorithm: what the worker is given. */
export interface PathJob {
  targetText: string;
  targetName: string;
  algo: string;
  /** The flags the algorithm is run with (`--algo`, `--duration`, `--slices`, `--param`). */
  params: Parameters<typeof executionFromFlags>[0];
  /** Seeds the paper market: the same seed gives every algorithm the same market path. */
  seed: number;
  /** Market time the path starts at (ms). */
  start: number;
  model: CostModel;
}

/** What one leg did on one path (README "`ptexec simulate`"). */
export interface LegSample {
  symbol: string;
  algo: string;
  quantity: number;
  filled: number;
  /** Q · arrival mid (minor units): the leg's weight in the run's figures. */
  value: number;
  /** Implementation shortfall against the arrival mid, bps, positive = cost; the unfilled part at the end mid. */
  shortfallBps: number;
  /**
   * The same, each fill measured against the arrival mid carried by the market's own move to the
   * fill's time (and the unfilled part at the end): the spread and impact the leg paid, without
   * the random walk, whose mean is nil but whose noise dwarfs the cost (what the estimate is
   * compared with).
   */
  costBps: number;
  /** Against the market's VWAP over the leg's life, bps; null when nothing filled or nothing traded. */
  vwapSlippageBps: number | null;
  estimateBps: number | null;
  /** The leg's estimate whole (its parts are what a calibration fits against). */
  estimate: LegCostEstimate | null;
  withinHorizon: boolean;
  fills: number;
  fillsWithinQuote: number;
}

const CASH = 1_000_000_000_000_00;
/**
 * The runtime re-reads the broker every `pollMs` (250 ms in a real run): in a simulation the
 * paper broker's updates all arrive by subscription, and a poll every 5 s of market time spares
 * tens of thousands of idle steps per simulated session.
 */
const SIMULATION_POLL_MS = 5_000;
/** A clean-up order sent at the horizon fills just after it: completion within the horizon allows this much. */
export const HORIZON_TOLERANCE_MS = 60_000;
/** The pre-trade checks a simulation keeps: those about prices and orders, not the size limits of an account. */
const SIMULATION_LIMITS = {
  order: { max_quantity: null, max_value: null },
  child: { max_quantity: null, max_value: null },
  liquidity: { max_adv_pct: null, warn_adv_pct: null, when_adv_unknown: 'pass' },
  concentration: { max_position_pct: null, max_group_pct: null },
  run: { max_turnover_value: null, max_turnover_pct: null, max_orders: null, max_child_orders: null },
  duplicates: { window_seconds: 0 },
};

/**
 * Runs the target once on a fresh paper market (an in-memory database, a virtual clock, the
 * seed's price path) with `algo` for every leg, and measures each leg. Sends nothing anywhere
 * and writes nothing to the user's database.
 */
export async function simulatePath(job: PathJob): Promise<LegSample[]> {
  const store = openDatabase(':memory:');
  const clock = new VirtualClock(job.start);
  resetPaperAccount(store.brokerTables(PAPER_BROKER_ID), { cash: CASH, now: clock.now(), reseedMarket: job.seed });
  const broker = createPaperBroker({ tables: store.brokerTables(PAPER_BROKER_ID), clock, seed: job.seed, config: {} });
  try {
    await broker.connect();
    const limits = validateRiskConfig(SIMULATION_LIMITS);
    if (!('config' in limits)) throw new Error('simulation limits do not validate');
    const service = new RebalanceService({ log: store, ...storePorts(store), broker, clock, risk: { config: { ...limits.config, groups: new Map() } }, runtimeOptions: { pollMs: SIMULATION_POLL_MS } });
    const planOptions = { defaultExecution: executionFromFlags(job.params), ...costHooks(job.model, () => clock.now(), true) };
    const request = { target: parseTargetPortfolio(job.targetText, job.targetName), targetText: job.targetText, source: job.targetName, tradingDate: '2026-01-05', dryRun: false, planOptions, options: {} };
    const checked = await clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(`the simulated run planned as ${checked.kind}`);
    const fills: { symbol: string; ts: number; price: number; quantity: number }[] = [];
    broker.subscribe((e) => {
      if (e.type === 'trade') fills.push(e.trade);
    });
    const legs = checked.legs;
    const startQuotes = await broker.quotes(legs.map((l) => ({ symbol: l.symbol, exchange: l.exchange })));
    const start = clock.now();
    const outcome = await clock.run(service.execute(checked));
    service.release();
    const endQuotes = await broker.quotes(legs.map((l) => ({ symbol: l.symbol, exchange: l.exchange })));
    const samples: LegSample[] = [];
    for (const [i, leg] of legs.entries()) {
      const result = outcome.legs.find((r) => r.leg === leg.index);
      const own = fills.filter((f) => f.symbol === leg.symbol);
      const arrival = mid(startQuotes[i]!);
      const s = sideSign(leg.side);
      const filled = result?.filled ?? 0;
      const average = result?.averagePrice ?? 0;
      const value = leg.quantity * arrival;
      const cost = s * filled * (average - arrival) + s * (leg.quantity - filled) * (mid(endQuotes[i]!) - arrival);
      const moved = (ts: number) => arrival * broker.marketMove(leg.symbol, start, ts, leg.exchange);
      const end = clock.now();
      const netCost = own.reduce((sum, f) => sum + s * f.quantity * (f.price - moved(f.ts)), 0) + s * (leg.quantity - filled) * (mid(endQuotes[i]!) - moved(end));
      const last = own.length ? Math.max(...own.map((f) => f.ts)) : start;
      const vwap = filled > 0 ? broker.marketVwap(leg.symbol, start, last + 1, leg.exchange) : undefined;
      // Against the quote as each fill matched: a quote read once the fill is reported has already moved with its impact.
      const touch = broker.fillsAgainstTouch(leg.symbol, leg.exchange);
      const horizon = leg.estimate?.horizonMs ?? 0;
      samples.push({
        symbol: leg.symbol,
        algo: leg.execution.algo,
        quantity: leg.quantity,
        filled,
        value,
        shortfallBps: (cost / value) * 10_000,
        costBps: (netCost / value) * 10_000,
        vwapSlippageBps: vwap ? ((s * (average - vwap)) / vwap) * 10_000 : null,
        estimateBps: leg.estimate?.costBps ?? null,
        estimate: leg.estimate ?? null,
        withinHorizon: filled === leg.quantity && last <= start + horizon + HORIZON_TOLERANCE_MS,
        fills: touch.fills,
        fillsWithinQuote: touch.withinTouch,
      });
    }
    return samples;
  } finally {
    await broker.close();
    store.close();
  }
}
