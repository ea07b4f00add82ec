import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MARKET_MODEL, loadMarketModel } from '../../src/brokers/paper/index.js';
import { restingFill } from '../../src/brokers/paper/queue.js';
import { openSession } from '../../src/brokers/paper/session.js';
import { shippedData } from '../../src/app/loaders/shipped-data.js';
import { algorithmContext } from '../../src/engine/runtime/algorithm-context.js';
import { profileFromBins } from '../../src/market/volume-profile.js';
import { harness, MONDAY_MORNING } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function userFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-model-'));
  dirs.push(dir);
  const path = join(dir, 'model.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('the paper market model file', () => {
  it('ships data/market/model.json with exactly the defaults, and a user file overrides some fields', () => {
    expect(JSON.parse(readFileSync(shippedData('market/model.json'), 'utf8'))).toEqual(DEFAULT_MARKET_MODEL);
    expect(loadMarketModel(undefined, shippedData)).toEqual(DEFAULT_MARKET_MODEL);
    const path = userFile({ depth: { resilience_seconds: 30 }, symbols: { 'NSE:RELIANCE': { adv: 20_000_000, touch_depth: 5_000 } } });
    const model = loadMarketModel(path, shippedData);
    expect(model.depth).toEqual({ ...DEFAULT_MARKET_MODEL.depth, resilience_seconds: 30 });
    expect(model.volume_curve).toEqual(DEFAULT_MARKET_MODEL.volume_curve);
    const h = harness({ model });
    const reliance = h.broker.marketModel().symbol('RELIANCE', 'NSE')!;
    expect(reliance).toMatchObject({ adv: 20_000_000, touchDepth: 5_000, bookDepth: 50_000, resilienceMs: 30_000, volatility: 0.22 });
    expect(h.broker.marketModel().symbol('INFY')).toMatchObject({ adv: 7_000_000, touchDepth: 1_400 });
    expect(h.broker.marketModel().symbol('NOPE')).toBeUndefined();
  });

  it('refuses a bad user file naming the file and the field', () => {
    const bad = userFile({ depth: { book_levels: -1 }, volume_noise: 'loud', symbols: { RELIANCE: {} } });
    expect(() => loadMarketModel(bad, shippedData)).toThrow(new RegExp(`invalid market model in ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*depth\\.book_levels`));
    expect(() => loadMarketModel(bad, shippedData)).toThrow(/volume_noise/);
    expect(() => loadMarketModel(bad, shippedData)).toThrow(/symbols\.RELIANCE.*EXCHANGE:SYMBOL/);
    expect(() => loadMarketModel(userFile({ depht: {} }), shippedData)).toThrow(/depht: unknown field/);
    expect(() => loadMarketModel(userFile('{ not json'), shippedData)).toThrow(/is not valid JSON/);
    expect(() => loadMarketModel(join(tmpdir(), 'no-such-model.json'), shippedData)).toThrow(/cannot read the market model .*ENOENT/);
  });

  it('draws the same path from the same seed and another from another seed', async () => {
    const path = async (seed: number) => {
      const h = harness({ seed });
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [q] = await h.broker.quotes([{ symbol: 'TCS', exchange: 'NSE' }]);
        out.push(q!.bid, q!.ask, q!.volume);
        await h.clock.advance(600_000);
      }
      await h.broker.close();
      return out;
    };
    expect(await path(5)).toEqual(await path(5));
    expect(await path(5)).not.toEqual(await path(6));
  });
});

describe('the queue at a resting limit price', () => {
  const quote = { bid: 1000, ask: 1001 };
  it('trades the shares ahead first, then fills the order; behind the touch nothing reaches it; inside the spread everything does', () => {
    const place = { price: 1000, ahead: 300 };
    expect(restingFill(place, 'buy', 1000, quote, 200, 300)).toEqual({ place: { price: 1000, ahead: 100 }, reaching: 0 });
    expect(restingFill({ price: 1000, ahead: 100 }, 'buy', 1000, quote, 250, 300)).toEqual({ place: { price: 1000, ahead: 0 }, reaching: 150 });
    expect(restingFill(place, 'buy', 999, quote, 500, 300)).toEqual({ place: { price: 999, ahead: 300 }, reaching: 0 });
    // A new price joins the back of its queue: the touch depth is ahead of it again.
    expect(restingFill(place, 'sell', 1001, quote, 500, 300)).toEqual({ place: { price: 1001, ahead: 0 }, reaching: 200 });
    // The bid fell through the order's price: nothing is ahead of it any more.
    expect(restingFill({ price: 1000.5, ahead: 300 }, 'buy', 1000.5, quote, 80, 300)).toEqual({ place: { price: 1000.5, ahead: 0 }, reaching: 80 });
  });
});

describe("the broker's market reaches the algorithms", () => {
  it('as one cumulative profile equal to the curve the paper market trades along, and its session', async () => {
    const h = harness();
    const ctx = algorithmContext(h.broker, { exchange: 'NSE' } as never, {} as never, MONDAY_MORNING);
    const profile = profileFromBins(ctx.volumeProfile!)!;
    const curve = h.broker.marketModel().curve;
    for (const p of [0.05, 0.3, 0.5, 0.9, 0.99]) expect(profile(p)).toBeCloseTo(curve.cumulative(p), 3);
    expect(ctx.volumeProfile!.at(-1)).toBeCloseTo(1, 12);
    // The always-open simulated market: every instant is in a session, at 03:00 IST too.
    const night = Date.UTC(2026, 0, 5, 21, 30);
    const session = ctx.session!(night);
    expect(session.start).toBeLessThanOrEqual(night);
    expect(session.end).toBeGreaterThan(night);
    // Following exchange hours, the next session is the next real open (09:15 IST).
    expect(openSession('NSE', night, (_e, ts) => (ts - Date.UTC(2026, 0, 6, 3, 45)) % 86_400_000 === 0).start).toBe(Date.UTC(2026, 0, 6, 3, 45));
    await h.broker.close();
  });
});
