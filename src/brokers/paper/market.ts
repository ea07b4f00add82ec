import type { Exchange, Quote } from '../../domain/instrument.js';
import { roundToTick } from '../../domain/price.js';
import type { Side } from '../../domain/side.js';
import { sessionLengthMs } from '../../market/calendar/index.js';
import { fnv1a32 } from '../../market/hash.js';
import { volumeCurve, type VolumeCurve } from '../../market/volume-profile.js';
import { DEFAULT_MARKET_MODEL, symbolModel, type MarketModel, type SymbolModel } from './market-model.js';
import type { PaperDb } from './paper-db.js';
import type { AnchorRow } from './paper-records.js';
import { PricePath } from './price-path.js';
import { normalAt } from './random.js';
import { sessionAt, sessionPosition, type SimulatedSession } from './session.js';
import type { PaperInstrument } from './universe.js';

/** Steps are counted from here; the price path is defined for 2^36 steps after it. */
const EPOCH = Date.UTC(2020, 0, 1);
/** Volume arrives with a seeded log-normal noise per 5-minute bin (the model's volume_noise), on top of the curve. */
const NOISE_BIN_MS = 300_000;
const SALT_VOLUME = 0x70_0003;

/** What the market reads and writes of the paper tables: price anchors and the paper trades' volume. */
export type MarketRecords = Pick<PaperDb, 'latestAnchors' | 'anchorAtOrBefore' | 'saveAnchor' | 'prints' | 'printsBySymbol'>;

export interface MarketOptions {
  seed: number;
  stepMs: number;
  /** When every price path started at its instrument's reference price (UTC ms). */
  originTs: number;
  spreadMultiplier: number;
  impact: { temporary: number; permanent: number };
  /** Whether the exchange trades at an instant (volume is zero when it does not). */
  isOpen: (exchange: Exchange, ts: number) => boolean;
  /** The model's parameters (data/market/model.json); the shipped defaults when not given. */
  model?: MarketModel;
}

interface Anchor extends AnchorRow {
  /** W at the anchor's step, cached. */
  w: number;
}

interface SymbolState {
  instrument: PaperInstrument;
  path: PricePath;
  symbolId: number;
  params: SymbolModel;
  /** Volatility of log price per step and per trading day. */
  sigmaStep: number;
  sigmaDaily: number;
  halfSpread: number;
  /** Book liquidity paper orders took on each side, as it stood at `ts` (it comes back with the resilience). */
  swept: Record<Side, { depth: number; ts: number }>;
  anchor: Anchor;
  /** Whether permanent impact ever moved this price (else the origin is the only anchor). */
  hasHistory: boolean;
  /** The volume noise of the last bin asked for. */
  noiseBin: number;
  noiseValue: number;
  priceMemo?: { step: number; logPrice: number };
  volumeMemo?: { sessionStart: number; upTo: number; volume: number };
  closeMemo?: { sessionStart: number; close: number };
  ownMemo?: { sessionStart: number; volume: number };
}

/**
 * The simulated market: a price per symbol following a seeded random walk (geometric, scaled by
 * the instrument's volatility, in steps of `stepMs`), a bid/ask spread, intraday volume with a
 * U-shaped profile, and market impact. Prices are a pure function of the seed, the market's
 * origin and the anchors left by permanent impact (stored), so any process opening the same
 * database sees the same market, and reading quotes never writes.
 */
export class PaperMarket {
  private states = new Map<PaperInstrument, SymbolState>();
  private readonly sessions = new Map<Exchange, SimulatedSession>();
  private storedAnchors = new Map<string, AnchorRow>();
  private readonly originStep: number;
  readonly model: MarketModel;
  /** The intraday volume curve every symbol trades along. */
  readonly curve: VolumeCurve;

  constructor(
    private readonly db: MarketRecords,
    private readonly options: MarketOptions,
  ) {
    this.originStep = this.stepOf(options.originTs);
    this.model = options.model ?? DEFAULT_MARKET_MODEL;
    this.curve = volumeCurve(this.model.volume_curve);
    this.reload();
  }

  get stepMs(): number {
    return this.options.stepMs;
  }

  stepOf(ts: number): number {
    return Math.max(0, Math.floor((ts - EPOCH) / this.options.stepMs));
  }

  /** Start of the step containing `ts`. */
  stepStart(ts: number): number {
    return EPOCH + this.stepOf(ts) * this.options.stepMs;
  }

  /** The simulated session containing `ts`, cached per exchange (most calls share one). */
  private session(exchange: Exchange, ts: number): SimulatedSession {
    const cached = this.sessions.get(exchange);
    if (cached && ts >= cached.start && ts < cached.end) return cached;
    const session = sessionAt(exchange, ts);
    this.sessions.set(exchange, session);
    return session;
  }

  /** Forgets cached state (after another writer changed the database). */
  reload(): void {
    this.states = new Map();
    this.storedAnchors = new Map(this.db.latestAnchors().map((a) => [`${a.exchange}:${a.symbol}`, { step: a.step, logPrice: a.logPrice }]));
  }

  private state(instrument: PaperInstrument): SymbolState {
    let state = this.states.get(instrument);
    if (state) return state;
    const key = `${instrument.exchange}:${instrument.symbol}`;
    const symbolId = fnv1a32(key);
    const path = new PricePath(this.options.seed, symbolId);
    const stepsPerDay = Math.floor(sessionLengthMs(instrument.exchange) / this.options.stepMs);
    const params = symbolModel(this.model, instrument, { spreadMultiplier: this.options.spreadMultiplier, impact: this.options.impact });
    const sigmaDaily = params.sigmaDaily;
    const stored = this.storedAnchors.get(key);
    const anchorRow = stored ?? { step: this.originStep, logPrice: Math.log(instrument.referencePrice) };
    state = {
      instrument,
      path,
      symbolId,
      params,
      swept: { buy: { depth: 0, ts: 0 }, sell: { depth: 0, ts: 0 } },
      sigmaStep: sigmaDaily / Math.sqrt(Math.max(1, stepsPerDay)),
      sigmaDaily,
      halfSpread: params.spreadBps / 2 / 10_000,
      anchor: { ...anchorRow, w: path.at(anchorRow.step) },
      hasHistory: stored !== undefined,
      noiseBin: Number.NaN,
      noiseValue: 1,
    };
    this.states.set(instrument, state);
    return state;
  }

  /** One symbol's resolved parameters: ADV, volatility, spread, depth, resilience, impact coefficients. */
  parameters(instrument: PaperInstrument): SymbolModel {
    return this.state(instrument).params;
  }

  /** Daily volatility of the instrument (fraction), as the impact model uses it. */
  sigmaDaily(instrument: PaperInstrument): number {
    return this.state(instrument).sigmaDaily;
  }

  /** Half the quoted spread as a fraction of the mid, before tick rounding. */
  halfSpread(instrument: PaperInstrument): number {
    return this.state(instrument).halfSpread;
  }

  private logPriceAtStep(state: SymbolState, step: number): number {
    if (state.priceMemo?.step === step) return state.priceMemo.logPrice;
    let anchor: Anchor = state.anchor;
    if (step < anchor.step && state.hasHistory) {
      const { exchange, symbol } = state.instrument;
      const past = this.db.anchorAtOrBefore(exchange, symbol, step);
      const row = past ?? { step: this.originStep, logPrice: Math.log(state.instrument.referencePrice) };
      anchor = { ...row, w: state.path.at(row.step) };
    }
    const logPrice = anchor.logPrice + state.sigmaStep * (state.path.at(step) - anchor.w);
    if (step >= state.anchor.step) {
      if (state.priceMemo) {
        state.priceMemo.step = step;
        state.priceMemo.logPrice = logPrice;
      } else state.priceMemo = { step, logPrice };
    }
    return logPrice;
  }

  /**
   * The factor by which the market's own random walk moved the price from `from` to `to`, without
   * the permanent impact of any order: what the price would have done had nobody traded on paper.
   */
  ownMove(instrument: PaperInstrument, from: number, to: number): number {
    const state = this.state(instrument);
    return Math.exp(state.sigmaStep * (state.path.at(this.stepOf(to)) - state.path.at(this.stepOf(from))));
  }

  /** The efficient (mid) price at `ts`, minor units, not rounded. */
  midPrice(instrument: PaperInstrument, ts: number): number {
    return Math.exp(this.logPriceAtStep(this.state(instrument), this.stepOf(ts)));
  }

  /** Bid, ask and last on the tick, without the volume and close a full quote computes. */
  book(instrument: PaperInstrument, ts: number): { bid: number; ask: number; last: number } {
    const state = this.state(instrument);
    const mid = Math.exp(this.logPriceAtStep(state, this.stepOf(ts)));
    const touch = this.touch(state, mid);
    return { bid: touch.bid, ask: touch.ask, last: Math.min(touch.ask, Math.max(touch.bid, roundToTick(mid, instrument.tickSize))) };
  }

  /** Bid, ask and last on the tick; `volume` is the simulated session's volume so far. */
  quote(instrument: PaperInstrument, ts: number): Quote {
    const state = this.state(instrument);
    const tick = instrument.tickSize;
    const mid = Math.exp(this.logPriceAtStep(state, this.stepOf(ts)));
    const touch = this.touch(state, mid);
    const session = this.session(instrument.exchange, ts);
    const quote: Quote = {
      symbol: instrument.symbol,
      exchange: instrument.exchange,
      bid: touch.bid,
      ask: touch.ask,
      last: Math.min(touch.ask, Math.max(touch.bid, roundToTick(mid, tick))),
      volume: Math.floor(this.sessionVolume(state, session, ts) + this.ownSessionVolume(state, session, ts)),
      close: this.previousClose(state, session),
      ts,
    };
    return quote;
  }

  private touch(state: SymbolState, mid: number): { bid: number; ask: number } {
    const tick = state.instrument.tickSize;
    const half = mid * state.halfSpread;
    let bid = roundToTick(mid - half, tick, 'down');
    let ask = roundToTick(mid + half, tick, 'up');
    if (ask - bid < tick) ask = bid + tick;
    if (bid < tick) {
      bid = tick;
      ask = Math.max(ask, 2 * tick);
    }
    return { bid, ask };
  }

  private previousClose(state: SymbolState, session: SimulatedSession): number {
    if (state.closeMemo?.sessionStart === session.start) return state.closeMemo.close;
    const close = roundToTick(Math.exp(this.logPriceAtStep(state, this.stepOf(session.start) - 1)), state.instrument.tickSize);
    state.closeMemo = { sessionStart: session.start, close };
    return close;
  }

  /** Background market volume (shares, fractional) over [from, to): ADV × profile × noise. */
  backgroundVolume(instrument: PaperInstrument, from: number, to: number): number {
    return this.volumeBetween(this.state(instrument), from, to);
  }

  private volumeBetween(state: SymbolState, from: number, to: number): number {
    const { exchange } = state.instrument;
    const { adv } = state.params;
    const curve = this.curve.cumulative;
    let total = 0;
    let cursor = from;
    while (cursor < to) {
      const session = this.session(exchange, cursor);
      const bin = Math.floor(cursor / NOISE_BIN_MS);
      const end = Math.min(to, session.end, (bin + 1) * NOISE_BIN_MS);
      if (this.options.isOpen(exchange, cursor)) {
        const share = curve(sessionPosition(session, end)) - curve(sessionPosition(session, cursor));
        total += adv * share * this.noise(state, bin);
      }
      cursor = end;
    }
    return total;
  }

  private noise(state: SymbolState, bin: number): number {
    if (state.noiseBin === bin) return state.noiseValue;
    const sigma = this.model.volume_noise;
    const value = Math.exp(sigma * normalAt(this.options.seed, state.symbolId, SALT_VOLUME, bin) - (sigma * sigma) / 2);
    state.noiseBin = bin;
    state.noiseValue = value;
    return value;
  }

  /** Background volume from the session's start to `ts`, cached up to the last whole noise bin. */
  private sessionVolume(state: SymbolState, session: SimulatedSession, ts: number): number {
    const boundary = Math.max(session.start, Math.floor(ts / NOISE_BIN_MS) * NOISE_BIN_MS);
    let memo = state.volumeMemo;
    if (!memo || memo.sessionStart !== session.start || memo.upTo > boundary) memo = { sessionStart: session.start, upTo: session.start, volume: 0 };
    if (memo.upTo < boundary) memo = { ...memo, upTo: boundary, volume: memo.volume + this.volumeBetween(state, memo.upTo, boundary) };
    state.volumeMemo = memo;
    return memo.volume + this.volumeBetween(state, boundary, ts);
  }

  private ownSessionVolume(state: SymbolState, session: SimulatedSession, ts: number): number {
    if (state.ownMemo?.sessionStart !== session.start) {
      const { exchange, symbol } = state.instrument;
      state.ownMemo = { sessionStart: session.start, volume: this.db.prints(exchange, symbol, session.start, session.end).volume };
    }
    return ts >= session.start ? state.ownMemo.volume : 0;
  }

  /** Preloads the session volume of paper trades for many symbols of one exchange in one query. */
  primeOwnVolume(instruments: PaperInstrument[], ts: number): void {
    const byExchange = new Map<Exchange, PaperInstrument[]>();
    for (const instrument of instruments) {
      const state = this.state(instrument);
      const session = sessionAt(instrument.exchange, ts);
      if (state.ownMemo?.sessionStart === session.start) continue;
      const list = byExchange.get(instrument.exchange) ?? [];
      list.push(instrument);
      byExchange.set(instrument.exchange, list);
    }
    for (const [exchange, list] of byExchange) {
      const session = sessionAt(exchange, ts);
      const volumes = this.db.printsBySymbol(exchange, session.start, session.end);
      for (const instrument of list) this.state(instrument).ownMemo = { sessionStart: session.start, volume: volumes.get(instrument.symbol) ?? 0 };
    }
  }

  /**
   * Book liquidity paper orders have taken on `side` and that has not come back yet at `ts`: what
   * was swept decays with the resilience time constant (Obizhaeva–Wang), so a steady taking rate
   * r keeps r·τ of the book eaten and the impact below is square-root in participation.
   */
  sweptDepth(instrument: PaperInstrument, side: Side, ts: number): number {
    const state = this.state(instrument);
    const swept = state.swept[side];
    return swept.depth * Math.exp(-Math.max(0, ts - swept.ts) / state.params.resilienceMs);
  }

  /** What a taking order may still sweep on `side` at `ts`: the book's depth less what was taken and has not come back. */
  sweepable(instrument: PaperInstrument, side: Side, ts: number): number {
    return Math.max(0, this.state(instrument).params.bookDepth - this.sweptDepth(instrument, side, ts));
  }

  /**
   * Price of a fill taking liquidity: the touch plus temporary impact Y·σ_daily·√(d/ADV), where d
   * is the book depth swept including this fill (see `sweptDepth`). On the tick, never better
   * than the touch.
   */
  impactedPrice(instrument: PaperInstrument, quote: Pick<Quote, 'bid' | 'ask'>, side: Side, sweptQuantity: number): number {
    const state = this.state(instrument);
    const cost = state.params.impact.temporary * state.sigmaDaily * Math.sqrt(sweptQuantity / state.params.adv);
    if (side === 'buy') return Math.max(quote.ask, roundToTick(quote.ask * (1 + cost), instrument.tickSize));
    return Math.max(instrument.tickSize, Math.min(quote.bid, roundToTick(quote.bid * (1 - cost), instrument.tickSize)));
  }

  /** Records a fill's permanent impact (a new stored anchor) and its volume; a taking fill also sweeps the book. */
  recordFill(instrument: PaperInstrument, ts: number, side: Side, quantity: number, taking = false): void {
    const state = this.state(instrument);
    if (taking) state.swept[side] = { depth: this.sweptDepth(instrument, side, ts) + quantity, ts };
    const step = this.stepOf(ts);
    const shift = (side === 'buy' ? 1 : -1) * state.params.impact.permanent * state.sigmaDaily * (quantity / state.params.adv);
    const logPrice = this.logPriceAtStep(state, step) + shift;
    const anchor: Anchor = { step, logPrice, w: state.path.at(step) };
    state.anchor = anchor;
    state.hasHistory = true;
    state.priceMemo = { step, logPrice };
    this.storedAnchors.set(`${instrument.exchange}:${instrument.symbol}`, { step, logPrice });
    this.db.saveAnchor(instrument.exchange, instrument.symbol, { step, logPrice });
    const session = sessionAt(instrument.exchange, ts);
    if (state.ownMemo?.sessionStart === session.start) state.ownMemo.volume += quantity;
  }

  /** Market volume over [from, to): the simulated market's plus every paper trade. */
  marketVolume(instrument: PaperInstrument, from: number, to: number): number {
    if (!(to > from)) return 0;
    const own = this.db.prints(instrument.exchange, instrument.symbol, from, to).volume;
    return Math.round(this.volumeBetween(this.state(instrument), from, to)) + own;
  }

  /**
   * Volume-weighted average price over [from, to) (minor units, fractional), paper trades
   * included; undefined when nothing traded. The background is sampled per minute at the mid.
   */
  marketVwap(instrument: PaperInstrument, from: number, to: number): number | undefined {
    if (!(to > from)) return undefined;
    const state = this.state(instrument);
    const own = this.db.prints(instrument.exchange, instrument.symbol, from, to);
    const pieceMs = Math.max(60_000, Math.ceil((to - from) / 2_000 / 60_000) * 60_000);
    let volume = own.volume;
    let value = own.value;
    for (let start = from; start < to; ) {
      const end = Math.min(to, (Math.floor(start / pieceMs) + 1) * pieceMs);
      const v = this.volumeBetween(state, start, end);
      if (v > 0) {
        volume += v;
        value += v * Math.exp(this.logPriceAtStep(state, this.stepOf((start + end) / 2)));
      }
      start = end;
    }
    return volume > 0 ? value / volume : undefined;
  }
}
