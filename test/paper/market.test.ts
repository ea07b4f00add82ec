import { describe, expect, it } from 'vitest';
import { brokerRegistration } from '../../src/brokers/registry.js';
import '../../src/brokers/index.js';
import {
  createPaperBroker,
  PAPER_UNIVERSE,
  paperInstrument,
  paperSector,
  sessionAt,
} from '../../src/brokers/paper/index.js';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import type { Clock } from '../../src/domain/clock.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { nseTickForPrice } from '../../src/domain/price.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { DEFAULT_MARKET_MODEL } from '../../src/brokers/paper/index.js';
import { cumulativeVolumeFraction, intradayVolumeProfile } from '../../src/market/volume-profile.js';
import { harness, MONDAY_MORNING, openStore, order } from './helpers.js';

describe('paper universe', () => {
  it('has at least 50 NSE large caps and 10 US names with sane fields', () => {
    const nse = PAPER_UNIVERSE.filter((i) => i.exchange === 'NSE');
    const us = PAPER_UNIVERSE.filter((i) => i.exchange === 'NYSE' || i.exchange === 'NASDAQ');
    expect(nse.length).toBeGreaterThanOrEqual(50);
    expect(us.length).toBeGreaterThanOrEqual(10);
    for (const symbol of ['RELIANCE', 'TCS', 'HDFCBANK', 'M&M', 'BAJAJ-AUTO', 'LTIM', 'SHRIRAMFIN']) expect(paperInstrument(symbol, 'NSE')).toBeDefined();
    for (const i of PAPER_UNIVERSE) {
      expect(i.lotSize).toBe(1);
      expect(i.referencePrice % i.tickSize).toBe(0);
      expect(i.tickSize).toBe(i.currency === 'INR' ? nseTickForPrice(i.referencePrice) : 1);
      expect(i.adv).toBeGreaterThan(0);
      expect(i.volatility).toBeGreaterThan(0.05);
      expect(i.volatility).toBeLessThan(1);
      expect(i.sector).toBeTruthy();
      if (i.isin) expect(i.isin).toMatch(/^INE[0-9A-Z]{9}$/);
    }
    expect(new Set(PAPER_UNIVERSE.map((i) => `${i.exchange}:${i.symbol}`)).size).toBe(PAPER_UNIVERSE.length);
    expect(paperSector('INFY')).toBe('Information Technology');
    expect(paperInstrument('AAPL')).toMatchObject({ exchange: 'NASDAQ', currency: 'USD', tickSize: 1 });
  });

  it('finds instruments by symbol with an optional exchange; unknown ones are absent', async () => {
    const h = harness();
    const found = await h.broker.instruments([{ symbol: 'TCS' }, { symbol: 'TCS', exchange: 'NASDAQ' }, { symbol: 'JPM', exchange: 'NYSE' }, { symbol: 'XYZ' }]);
    expect(found.map((i) => `${i.exchange}:${i.symbol}`)).toEqual(['NSE:TCS', 'NYSE:JPM']);
    expect(found[0]).not.toHaveProperty('referencePrice');
    await h.broker.close();
  });
});

describe('paper market model', () => {
  it('has a U-shaped intraday volume profile', () => {
    const bins = intradayVolumeProfile(13);
    expect(bins.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const middle = bins[6]!;
    expect(bins[0]!).toBeGreaterThan(2 * middle);
    expect(bins[12]!).toBeGreaterThan(2 * middle);
    expect(cumulativeVolumeFraction(0)).toBe(0);
    expect(cumulativeVolumeFraction(1)).toBe(1);
  });

  it('trades more volume near the open and close than at midday', async () => {
    const h = harness();
    const session = sessionAt('NSE', MONDAY_MORNING);
    expect(session.real).toBe(true);
    const half = 15 * 60_000;
    const open = h.broker.marketVolume('RELIANCE', session.start, session.start + half);
    const noon = h.broker.marketVolume('RELIANCE', session.start + session.length / 2 - half / 2, session.start + session.length / 2 + half / 2);
    const close = h.broker.marketVolume('RELIANCE', session.start + session.length - half, session.start + session.length);
    expect(open).toBeGreaterThan(1.5 * noon);
    expect(close).toBeGreaterThan(1.5 * noon);
    // A whole session trades about the ADV.
    const day = h.broker.marketVolume('RELIANCE', session.start, session.end);
    expect(day).toBeGreaterThan(0.6 * 10_000_000);
    expect(day).toBeLessThan(1.5 * 10_000_000);
    await h.broker.close();
  });

  it('moves prices as a random walk scaled by volatility', async () => {
    const h = harness({ seed: 5 });
    const returns: Record<string, number[]> = { ITC: [], ADANIENT: [] };
    let last: Record<string, number> = {};
    for (let i = 0; i <= 400; i++) {
      const quotes = await h.broker.quotes([{ symbol: 'ITC', exchange: 'NSE' }, { symbol: 'ADANIENT', exchange: 'NSE' }]);
      const mids = Object.fromEntries(quotes.map((q) => [q.symbol, (q.bid + q.ask) / 2]));
      if (i > 0) for (const s of Object.keys(returns)) returns[s]!.push(Math.log(mids[s]! / last[s]!));
      last = mids;
      await h.clock.advance(375 * 60_000); // one simulated session
    }
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
    const itc = sd(returns.ITC!);
    const adani = sd(returns.ADANIENT!);
    expect(itc).toBeGreaterThan((0.18 / Math.sqrt(252)) * 0.8);
    expect(itc).toBeLessThan((0.18 / Math.sqrt(252)) * 1.2);
    expect(adani).toBeGreaterThan((0.42 / Math.sqrt(252)) * 0.8);
    expect(adani).toBeLessThan((0.42 / Math.sqrt(252)) * 1.2);
    await h.broker.close();
  });

  it('quotes the same price at a time whatever was quoted before (lazy evolution is path-consistent)', async () => {
    // A clock that can be set anywhere, backwards included; no timers are needed for quotes.
    let now = MONDAY_MORNING;
    const manual: Clock = {
      now: () => now,
      setTimeout: () => ({ id: 0 }),
      clearTimeout: () => undefined,
      sleep: async () => undefined,
    };
    const target = MONDAY_MORNING + 3 * 86_400_000 + 12_345;
    const direct = createPaperBroker({ tables: openStore().brokerTables('paper'), clock: manual, seed: 4 });
    const wandering = createPaperBroker({ tables: openStore().brokerTables('paper'), clock: manual, seed: 4 });
    for (const t of [MONDAY_MORNING + 5_000, MONDAY_MORNING + 10 * 86_400_000, MONDAY_MORNING + 1_000, target + 1_000, target - 3_600_000]) {
      now = t;
      await wandering.quotes([{ symbol: 'TITAN', exchange: 'NSE' }]);
    }
    now = target;
    const [qa] = await direct.quotes([{ symbol: 'TITAN', exchange: 'NSE' }]);
    const [qb] = await wandering.quotes([{ symbol: 'TITAN', exchange: 'NSE' }]);
    expect(qb).toEqual(qa);
    expect(wandering.marketVwap('TITAN', MONDAY_MORNING, target)).toBe(direct.marketVwap('TITAN', MONDAY_MORNING, target));
    await direct.close();
    await wandering.close();
  });

  it('quotes wider spreads (in bps) for thinner names', async () => {
    const h = harness();
    const [liquid, thin] = await h.broker.quotes([{ symbol: 'HDFCBANK', exchange: 'NSE' }, { symbol: 'ULTRACEMCO', exchange: 'NSE' }]);
    const bps = (q: { bid: number; ask: number }) => ((q.ask - q.bid) / ((q.ask + q.bid) / 2)) * 10_000;
    expect(bps(thin!)).toBeGreaterThan(bps(liquid!));
    await h.broker.close();
  });

  it('is deterministic: the same seed and clock steps give the same quotes and fills', async () => {
    const run = async (seed: number) => {
      const h = harness({ seed, cash: 1e11 });
      const log: unknown[] = [];
      for (const [i, symbol] of ['RELIANCE', 'TCS', 'SBIN', 'TITAN'].entries()) {
        await h.clock.run(h.broker.placeOrder(order({ clientOrderId: `d${i}`, symbol, quantity: 1_500 + i * 700 })));
        await h.clock.advance(7_000);
      }
      await h.clock.advance(600_000);
      log.push(await h.broker.trades(), await h.broker.quotes([{ symbol: 'TITAN', exchange: 'NSE' }]), await h.broker.funds());
      await h.broker.close();
      return log;
    };
    const a = await run(21);
    expect(await run(21)).toEqual(a);
    expect(await run(22)).not.toEqual(a);
  });

  it('charges market impact: a large market order averages worse than a small one', async () => {
    const average = async (quantity: number) => {
      // A book deep enough to take either order at once: the difference is the square-root impact.
      const model = { ...DEFAULT_MARKET_MODEL, depth: { ...DEFAULT_MARKET_MODEL.depth, book_levels: 1000 } };
      const h = harness({ seed: 9, cash: 1e12, config: { latencyMs: 0 }, model });
      const [q] = await h.broker.quotes([{ symbol: 'EICHERMOT', exchange: 'NSE' }]);
      const { brokerOrderId } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'imp', symbol: 'EICHERMOT', quantity })));
      for (let i = 0; i < 3_600 && (await h.broker.findOrderByClientId('imp'))!.status !== 'filled'; i++) await h.clock.advance(1_000);
      const trades = await h.broker.trades(brokerOrderId);
      const avg = trades.reduce((s, t) => s + t.quantity * t.price, 0) / trades.reduce((s, t) => s + t.quantity, 0);
      await h.broker.close();
      return (avg / q!.ask - 1) * 10_000;
    };
    const small = await average(10);
    const large = await average(30_000); // 5% of ADV
    expect(large).toBeGreaterThan(small + 5);
  });

  it('reports market VWAP and volume over an interval, own trades included', async () => {
    const h = harness({ cash: 1e11 });
    const from = h.clock.now();
    const before = h.broker.marketVolume('SUNPHARMA', from, from + 60_000);
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'v', symbol: 'SUNPHARMA', quantity: 200 })));
    await h.clock.advance(60_000);
    const after = h.broker.marketVolume('SUNPHARMA', from, from + 60_000);
    expect(after - before).toBe(200);
    const [q] = await h.broker.quotes([{ symbol: 'SUNPHARMA', exchange: 'NSE' }]);
    const vwap = h.broker.marketVwap('SUNPHARMA', from, h.clock.now())!;
    expect(Math.abs(vwap / q!.last - 1)).toBeLessThan(0.01);
    expect(h.broker.marketVwap('SUNPHARMA', from, from)).toBeUndefined();
    expect(() => h.broker.marketVolume('NOPE', from, from + 1)).toThrow();
    await h.broker.close();
  });
});

describe('paper configuration and registration', () => {
  it('validates the config section and names the bad field', () => {
    const clock = new VirtualClock(MONDAY_MORNING);
    const store = openStore();
    const make = (config: unknown) => () => harness({ store, clock, config });
    expect(make({ latencyMs: -5 })).toThrow(/paper\.latencyMs/);
    expect(make({ faults: { reject: 1.5 } })).toThrow(/paper\.faults\.reject/);
    expect(make({ participationCap: 0 })).toThrow(/paper\.participationCap/);
    expect(make({ latncyMs: 5 })).toThrow(/paper\.latncyMs: unknown field/);
    expect(make({ latencyMs: -5 })).toThrow(InvalidInputError);
  });

  it('registers under "paper" and builds from the registry deps', async () => {
    const factory = brokerRegistration('paper')?.create;
    expect(factory).toBeDefined();
    const store = openStore();
    const clock = new VirtualClock(MONDAY_MORNING);
    const broker = await factory!({ tables: store.brokerTables('paper'), clock, config: { latencyMs: 1 }, env: {} });
    expect(broker.id).toBe('paper');
    expect(broker.account).toBe('PAPER');
    await broker.connect();
    expect(await broker.funds()).toMatchObject({ currency: 'INR', available: 1_000_000_000 });
    await broker.close();
    const closed = await broker.placeOrder(order()).catch((e: unknown) => e);
    expect(isBrokerError(closed, 'unavailable')).toBe(true);
  });

  it('trades only in exchange hours when followExchangeHours is on', async () => {
    // Saturday 10:30 IST.
    const clock = new VirtualClock(Date.UTC(2026, 0, 10, 5, 0, 0));
    const h = harness({ clock, config: { followExchangeHours: true } });
    const { brokerOrderId } = await clock.run(h.broker.placeOrder(order({ clientOrderId: 'wknd', quantity: 5 })));
    await clock.advance(3_600_000);
    expect(await h.broker.trades(brokerOrderId)).toHaveLength(0);
    expect(h.broker.marketVolume('RELIANCE', clock.now() - 3_600_000, clock.now())).toBe(0);
    await h.broker.close();
  });
});
