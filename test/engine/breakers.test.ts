import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventType } from '../../src/domain/events/index.js';
import { defaultRiskConfig } from '../../src/engine/risk/config.js';
import type { BreakerLimits } from '../../src/engine/risk/breakers/breaker-trip.js';
import { DEFAULT_MARKET_MODEL, type MarketModel } from '../../src/brokers/paper/index.js';
import { World } from './world.js';

/**
 * The automatic breakers in a run (README "Breakers"): a trip is recorded, pauses the run or the
 * leg as `ptexec pause` does, and `ptexec resume` (a `run.control` resume) continues it to the
 * end without the same breaker tripping again. The defaults leave the README tour's runs alone.
 */
let worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

const MIN = 60_000;
const OFF: BreakerLimits = { run_slippage: { max_bps: null }, run_loss: { max_value: null }, spread: { max_multiple: null }, volatility: { max_multiple: null, window_seconds: 60 }, circuit: { within_pct: null, band_pct: 20 } };
const MARKET = { defaultExecution: { algo: 'market', orderType: 'market' as const, params: {} } };
const TWAP = { defaultExecution: { algo: 'twap', orderType: 'market' as const, params: { duration: '10m', slices: 5, child_type: 'market' } } };

/** ITC's book holds 600 shares and comes back in about a minute: a market order of 1,000 fills in two sweeps. */
const TWO_SWEEPS: MarketModel = { ...DEFAULT_MARKET_MODEL, depth: { ...DEFAULT_MARKET_MODEL.depth, book_levels: 1.2 }, symbols: { 'NSE:ITC': { touch_depth: 500 } } };

function newWorld(model?: MarketModel): World {
  const world = new World({}, { inMemory: true, model });
  worlds.push(world);
  return world;
}

function resumeAt(world: World, runId: string, at: number, leg?: number): void {
  world.clock.setTimeout(() => world.store.append({ runId, type: 'run.control', payload: { action: 'resume', by: 'test', ...(leg === undefined ? {} : { leg }) } }), at);
}

function types(world: World, runId: string, wanted: EventType[]): string[] {
  return world.store.events({ runId, types: wanted }).map((e) => (e.type === 'run.status' ? `run.status:${e.payload.status}` : e.type));
}

async function runWith(world: World, text: string, breakers: BreakerLimits, resume?: { at: number; leg?: number }, planOptions: typeof TWAP | typeof MARKET = TWAP) {
  const service = world.service({ runtimeOptions: { breakers } });
  const checked = await world.clock.run(service.plan(world.request(text, { planOptions })));
  if (checked.kind !== 'checked') throw new Error(checked.kind);
  if (resume) resumeAt(world, checked.runId, resume.at, resume.leg);
  const outcome = await world.clock.run(service.execute(checked));
  service.release();
  return { runId: checked.runId, outcome };
}

describe('automatic breakers during a run', () => {
  it('run slippage beyond the limit pauses the whole run once; resume finishes it', async () => {
    const world = newWorld();
    // Market children pay half the spread: any positive limit this small is reached on the first fill.
    const { runId, outcome } = await runWith(world, 'symbol,target_quantity\nITC,1000\nTCS,50\n', { ...OFF, run_slippage: { max_bps: 0.01 } }, { at: 30 * MIN });
    expect(outcome.legs.map((l) => l.outcome)).toEqual(['complete', 'complete']);
    const trips = world.store.events({ runId, types: ['run.breaker_tripped'] });
    expect(trips).toHaveLength(1);
    expect(trips[0]!.payload).toMatchObject({ breaker: 'run_slippage', limit: 0.01, unit: 'bps' });
    expect(trips[0]!.payload.leg).toBeUndefined();
    expect(trips[0]!.payload.value).toBeGreaterThanOrEqual(0.01);
    // Tripped, then paused (both legs and the run), then resumed by the control.
    expect(types(world, runId, ['run.breaker_tripped', 'leg.paused', 'run.status', 'leg.resumed']).filter((t) => t !== 'run.status:running')).toEqual([
      'run.breaker_tripped',
      'leg.paused',
      'leg.paused',
      'run.status:paused',
      'leg.resumed',
      'leg.resumed',
      'run.status:completed',
    ]);
    const resumed = world.store.events({ runId, types: ['leg.resumed'] })[0]!;
    expect(resumed.marketTs! - trips[0]!.marketTs!).toBeGreaterThan(20 * MIN);
  });

  it('a price near its circuit limit pauses only that leg; resume --leg finishes it', async () => {
    const world = newWorld();
    // A ±0.5% band: every price is within 0.5% of one of its limits.
    const { runId, outcome } = await runWith(world, 'symbol,target_quantity\nITC,1000\n', { ...OFF, circuit: { within_pct: 0.5, band_pct: 0.5 } }, { at: 5 * MIN, leg: 0 });
    expect(outcome.legs[0]).toMatchObject({ outcome: 'complete', filled: 1000 });
    const trips = world.store.events({ runId, types: ['run.breaker_tripped'] });
    expect(trips.map((t) => t.payload)).toEqual([expect.objectContaining({ breaker: 'circuit', leg: 0, limit: 0.5, unit: '%' })]);
    expect(types(world, runId, ['run.breaker_tripped', 'leg.paused', 'leg.resumed', 'run.status'])).toEqual(['run.status:running', 'run.breaker_tripped', 'leg.paused', 'leg.resumed', 'run.status:completed']);
  });

  it('a breaker just beyond what the run measures does not trip', async () => {
    // One market order filled in two sweeps of the book: its slippage is known after the first (the
    // only check while the leg is open), and the same seed fills it alike.
    const first = newWorld(TWO_SWEEPS);
    const tripped = await runWith(first, 'symbol,target_quantity\nITC,1000\n', { ...OFF, run_slippage: { max_bps: 0.01 } }, { at: 30 * MIN }, MARKET);
    const measured = first.store.events({ runId: tripped.runId, types: ['run.breaker_tripped'] })[0]!.payload.value;
    const again = newWorld(TWO_SWEEPS);
    // The resume only matters if it trips after all (the run would otherwise wait for one).
    const second = await runWith(again, 'symbol,target_quantity\nITC,1000\n', { ...OFF, run_slippage: { max_bps: measured + 0.1 } }, { at: 30 * MIN }, MARKET);
    expect(again.store.events({ runId: second.runId, types: ['run.breaker_tripped'] })).toEqual([]);
    expect(second.outcome.legs[0]).toMatchObject({ outcome: 'complete' });
    const third = newWorld(TWO_SWEEPS);
    const atLimit = await runWith(third, 'symbol,target_quantity\nITC,1000\n', { ...OFF, run_slippage: { max_bps: measured } }, { at: 30 * MIN }, MARKET);
    expect(third.store.events({ runId: atLimit.runId, types: ['run.breaker_tripped'] }).map((e) => e.payload.value)).toEqual([measured]);
  });

  it('a leg whose price moves beyond its normal volatility is paused; resume --leg finishes it', async () => {
    const world = newWorld();
    // A tenth of the normal move over the window: any move between two decisions reaches it.
    const { runId, outcome } = await runWith(world, 'symbol,target_quantity\nITC,1000\n', { ...OFF, volatility: { max_multiple: 0.1, window_seconds: 600 } }, { at: 30 * MIN, leg: 0 });
    expect(outcome.legs[0]).toMatchObject({ outcome: 'complete', filled: 1000 });
    const trips = world.store.events({ runId, types: ['run.breaker_tripped'] }).map((e) => e.payload);
    expect(trips).toEqual([expect.objectContaining({ breaker: 'volatility', leg: 0, limit: 0.1, unit: 'x' })]);
    expect(trips[0]!.value).toBeGreaterThanOrEqual(0.1);
  });

  it('a run stopped while a breaker holds it paused is continued by resume in a new process, without tripping again', async () => {
    const world = newWorld();
    const breakers = { ...OFF, circuit: { within_pct: 0.5, band_pct: 0.5 } };
    const stop = new AbortController();
    world.clock.setTimeout(() => stop.abort('stopped for the test'), 2 * MIN);
    const service = world.service({ runtimeOptions: { breakers }, signal: stop.signal });
    const checked = await world.clock.run(service.plan(world.request('symbol,target_quantity\nITC,1000\n', { planOptions: TWAP })));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    const stopped = await world.clock.run(service.execute(checked));
    service.release();
    expect(stopped.status).toBe('interrupted');
    expect(stopped.legs[0]!.filled).toBe(0);
    const resumed = await world.resumeAsNewProcess(checked.runId, { runtimeOptions: { breakers } });
    expect(resumed.legs[0]).toMatchObject({ outcome: 'complete', filled: 1000 });
    expect(types(world, checked.runId, ['run.breaker_tripped', 'leg.paused', 'leg.resumed'])).toEqual(['run.breaker_tripped', 'leg.paused', 'leg.resumed']);
  });

  it('the defaults do not trip on the README tour runs (portfolio.json with market orders, weights.csv as a TWAP)', async () => {
    const world = newWorld();
    const defaults = defaultRiskConfig().breakers;
    const portfolio = JSON.parse(readFileSync('examples/portfolio.json', 'utf8')) as { target_portfolio: { symbol: string; target_quantity: number }[] };
    const csv = `symbol,target_quantity\n${portfolio.target_portfolio.map((l) => `${l.symbol},${l.target_quantity}`).join('\n')}\n`;
    const service = world.service({ runtimeOptions: { breakers: defaults } });
    const market = await world.rebalance(csv, {}, service);
    const twap = await runWith(world, readFileSync('examples/weights.csv', 'utf8'), defaults, { at: 60 * MIN });
    for (const { outcome } of [market, twap]) expect(outcome.legs.every((l) => l.outcome === 'complete')).toBe(true);
    expect(world.store.events({ types: ['run.breaker_tripped'] })).toEqual([]);
  });
});
